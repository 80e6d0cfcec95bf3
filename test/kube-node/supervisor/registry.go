package main

import (
	"archive/tar"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// localRegistry serves the tier's images read-only over the registry API on loopback, and containerd
// is told (hosts.toml, with "server" replaced) to pull every image of their registries from it. A pod with
// imagePullPolicy Always (the manual's `image: busybox`, i.e. :latest) then pulls the local image instead
// of asking the Internet, which no test may reach.
type localRegistry struct {
	blobsDir  string
	manifests map[string]string // image name (registry/repository:tag) -> manifest digest
	types     map[string]string // manifest digest -> media type
	listener  net.Listener
}

const (
	registryContainerdName = "io.containerd.image.name"
	registryAPIHeader      = "Docker-Distribution-API-Version"
)

var zeroTime time.Time // blobs have no modification time: no conditional requests

var (
	registryDir      = filepath.Join(dataRoot, "registry")
	registryHostsDir = filepath.Join(stateRoot, "certs.d")
)

// startRegistry unpacks the archives' blobs and serves them.
func startRegistry(archives []string) (*localRegistry, error) {
	r := &localRegistry{blobsDir: filepath.Join(registryDir, "blobs", "sha256"), manifests: map[string]string{}, types: map[string]string{}}
	if err := os.MkdirAll(r.blobsDir, 0o755); err != nil {
		return nil, err
	}
	for _, archive := range archives {
		if err := r.load(archive); err != nil {
			return nil, fmt.Errorf("registry: load %s: %w", archive, err)
		}
	}
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	r.listener = listener
	go func() { _ = http.Serve(listener, http.HandlerFunc(r.serveHTTP)) }()
	return r, nil
}

func (r *localRegistry) close() { r.listener.Close() }

func (r *localRegistry) url() string { return "http://" + r.listener.Addr().String() }

// load copies an OCI archive's blobs and reads its index for the image names.
func (r *localRegistry) load(archive string) error {
	file, err := os.Open(archive)
	if err != nil {
		return err
	}
	defer file.Close()
	reader := tar.NewReader(file)
	for {
		header, err := reader.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(header.Name, "./")
		switch {
		case name == "index.json":
			var index struct {
				Manifests []struct {
					MediaType   string            `json:"mediaType"`
					Digest      string            `json:"digest"`
					Annotations map[string]string `json:"annotations"`
				} `json:"manifests"`
			}
			if err := json.NewDecoder(reader).Decode(&index); err != nil {
				return err
			}
			for _, m := range index.Manifests {
				if image := m.Annotations[registryContainerdName]; image != "" {
					r.manifests[image] = m.Digest
					r.types[m.Digest] = m.MediaType
				}
			}
		case strings.HasPrefix(name, "blobs/sha256/") && header.Typeflag == tar.TypeReg:
			out, err := os.Create(filepath.Join(r.blobsDir, filepath.Base(name)))
			if err != nil {
				return err
			}
			_, err = io.Copy(out, reader)
			out.Close()
			if err != nil {
				return err
			}
		}
	}
}

// registries are the registry hosts of the served images (docker.io, registry.k8s.io, ...).
func (r *localRegistry) registries() []string {
	seen := map[string]bool{}
	for image := range r.manifests {
		seen[strings.SplitN(image, "/", 2)[0]] = true
	}
	var hosts []string
	for host := range seen {
		hosts = append(hosts, host)
	}
	sort.Strings(hosts)
	return hosts
}

// writeHostsConfig points containerd at the local registry for each of those hosts; "server" replaces the
// real upstream, so there is no fallback to it.
func (r *localRegistry) writeHostsConfig() error {
	for _, host := range r.registries() {
		dir := filepath.Join(registryHostsDir, host)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		text := fmt.Sprintf("server = %q\n\n[host.%q]\n  capabilities = [\"pull\", \"resolve\"]\n", r.url(), r.url())
		if err := os.WriteFile(filepath.Join(dir, "hosts.toml"), []byte(text), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// serveHTTP implements the read side of the distribution API: /v2/, manifests by tag or digest, blobs.
func (r *localRegistry) serveHTTP(w http.ResponseWriter, req *http.Request) {
	w.Header().Set(registryAPIHeader, "registry/2.0")
	path := strings.TrimPrefix(req.URL.Path, "/v2/")
	if path == "" || path == req.URL.Path {
		w.WriteHeader(http.StatusOK)
		return
	}
	if repo, ref, ok := strings.Cut(path, "/manifests/"); ok {
		digest := ref
		if !strings.HasPrefix(ref, "sha256:") {
			digest = r.manifestFor(req.URL.Query().Get("ns"), repo, ref)
		}
		mediaType, known := r.types[digest]
		if !known {
			http.Error(w, `{"errors":[{"code":"MANIFEST_UNKNOWN"}]}`, http.StatusNotFound)
			return
		}
		r.serveBlob(w, req, digest, mediaType)
		return
	}
	if _, digest, ok := strings.Cut(path, "/blobs/"); ok {
		r.serveBlob(w, req, digest, "application/octet-stream")
		return
	}
	http.NotFound(w, req)
}

// manifestFor finds a tag. containerd names the registry it resolves for in the "ns" parameter; without
// it, a repository:tag that only one served registry has is unambiguous.
func (r *localRegistry) manifestFor(registry, repo, tag string) string {
	if registry != "" {
		return r.manifests[registry+"/"+repo+":"+tag]
	}
	var found []string
	for image, digest := range r.manifests {
		if _, rest, ok := strings.Cut(image, "/"); ok && rest == repo+":"+tag {
			found = append(found, digest)
		}
	}
	if len(found) != 1 {
		return ""
	}
	return found[0]
}

func (r *localRegistry) serveBlob(w http.ResponseWriter, req *http.Request, digest, mediaType string) {
	hex := strings.TrimPrefix(digest, "sha256:")
	if hex == digest || strings.ContainsAny(hex, "/.") {
		http.NotFound(w, req)
		return
	}
	file, err := os.Open(filepath.Join(r.blobsDir, hex))
	if err != nil {
		http.Error(w, `{"errors":[{"code":"BLOB_UNKNOWN"}]}`, http.StatusNotFound)
		return
	}
	defer file.Close()
	w.Header().Set("Content-Type", mediaType)
	w.Header().Set("Docker-Content-Digest", digest)
	http.ServeContent(w, req, "", zeroTime, file)
}
