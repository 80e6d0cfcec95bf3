package main

import (
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

const containerdReadyTimeout = 60 * time.Second

// containerdConfigText: Debian's containerd 1.6 with everything under the tier's own directories. The
// settings marked "required" are those the feasibility run found necessary on these machines.
func containerdConfigText() string {
	return fmt.Sprintf(`version = 2
root = %q
state = %q

[grpc]
  address = %q

[plugins."io.containerd.internal.v1.opt"]
  path = %q

[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = %q
  # required: without CAP_SYS_RESOURCE runc cannot set oom_score_adj -998 and every sandbox fails with
  # "can't get final child's PID from pipe: EOF"
  restrict_oom_score_adj = true
  stream_server_address = "127.0.0.1"
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = %q
    conf_dir = %q
  # Every registry of the tier's images is the local one (registry.go): no pull leaves the machine.
  [plugins."io.containerd.grpc.v1.cri".registry]
    config_path = %q
`, containerdRoot, containerdState, containerdSocket, containerdOpt, pauseImage, cniBinDir, cniConfDir, registryHostsDir)
}

func startContainerd(log io.Writer) (*child, error) {
	for _, dir := range []string{containerdRoot, containerdState, containerdOpt} {
		if err := os.MkdirAll(dir, 0o711); err != nil {
			return nil, err
		}
	}
	if err := os.WriteFile(containerdConfig, []byte(containerdConfigText()), 0o644); err != nil {
		return nil, err
	}
	c, err := startChild("containerd", log, nil, "containerd", "--config", containerdConfig)
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(containerdReadyTimeout)
	for time.Now().Before(deadline) {
		if c.exited() {
			return c, fmt.Errorf("containerd exited at start: %v", c.err)
		}
		if conn, err := net.Dial("unix", containerdSocket); err == nil {
			conn.Close()
			if _, err := ctr("version"); err == nil {
				return c, nil
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	return c, fmt.Errorf("containerd did not answer on %s within %s", containerdSocket, containerdReadyTimeout)
}

// ctr runs Debian's containerd client against the private containerd, in the CRI's namespace.
func ctr(args ...string) (string, error) {
	return run("ctr", append([]string{"--address", containerdSocket, "--namespace", "k8s.io"}, args...)...)
}

// imageArchives are the OCI archives (*.tar) of dir, built by test/node-images.
func imageArchives(dir string) ([]string, error) {
	archives, err := filepath.Glob(filepath.Join(dir, "*.tar"))
	if err != nil {
		return nil, err
	}
	if len(archives) == 0 {
		return nil, fmt.Errorf("no image archives (*.tar) in %s: build them first", dir)
	}
	sort.Strings(archives)
	return archives, nil
}

// importImages imports the archives into the CRI's namespace: pods find them present, pulling nothing.
func importImages(archives []string) ([]string, error) {
	for _, archive := range archives {
		if _, err := ctr("images", "import", "--snapshotter", "overlayfs", archive); err != nil {
			return nil, fmt.Errorf("import %s: %w", archive, err)
		}
	}
	listing, err := ctr("images", "list", "--quiet")
	if err != nil {
		return nil, err
	}
	var names []string
	for _, name := range strings.Fields(listing) {
		if !strings.HasPrefix(name, "sha256:") {
			names = append(names, name)
		}
	}
	return names, nil
}
