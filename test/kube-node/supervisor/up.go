package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

const (
	defaultReadyTimeout = 5 * time.Minute // the harness's /readyz alone may take 2 min on 2 busy cores
	componentStopGrace  = 10 * time.Second
	harnessStopGrace    = 60 * time.Second
	readyLine           = "READY"
	nodeReadyFileName   = "node.json"
	nodeLogFileName     = "node.log"
	harnessDirName      = "harness"
	pollInterval        = 250 * time.Millisecond
)

type upOptions struct {
	dir, harness, components, images string
	readyTimeout                     time.Duration
}

// nodeReadyFile is what the tests read: the harness's access plus the node's facts.
type nodeReadyFile struct {
	harnessReady
	SupervisorPID    int      `json:"supervisorPid"`
	NodeName         string   `json:"nodeName"`
	NodeIP           string   `json:"nodeIP"`
	PodCIDR          string   `json:"podCIDR"`
	ContainerdSocket string   `json:"containerdSocket"`
	Images           []string `json:"images"`
	LogFile          string   `json:"logFile"`
}

func parseUpOptions(args []string) (upOptions, error) {
	var opts upOptions
	flags := flag.NewFlagSet("kube-node-supervisor up", flag.ContinueOnError)
	flags.StringVar(&opts.dir, "dir", "", "directory for node.json, node.log and the harness's files")
	flags.StringVar(&opts.harness, "harness", "", "the kube-harness binary (scripts/kube-harness-build.sh)")
	flags.StringVar(&opts.components, "components", "", "the kube-node components binary (scripts/kube-node-build.sh)")
	flags.StringVar(&opts.images, "images", "", "directory of OCI image archives to import (*.tar)")
	flags.DurationVar(&opts.readyTimeout, "ready-timeout", defaultReadyTimeout, "how long the node may take to be ready")
	if err := flags.Parse(args); err != nil {
		return opts, err
	}
	for name, value := range map[string]string{"--dir": opts.dir, "--harness": opts.harness, "--components": opts.components, "--images": opts.images} {
		if value == "" {
			return opts, fmt.Errorf("%s is required", name)
		}
	}
	var err error
	opts.dir, err = filepath.Abs(opts.dir)
	return opts, err
}

func runUp(args []string) int {
	opts, err := parseUpOptions(args)
	if err != nil {
		logf("up: %v", err)
		return 2
	}
	if os.Geteuid() != 0 {
		logf("up: the real node needs root (containerd, the kubelet, a bridge, iptables); run as root")
		return 1
	}
	lock, err := acquireMachineLock()
	if err != nil {
		logf("up: %v", err)
		if errors.Is(err, errNodeRunning) {
			return 3
		}
		return 1
	}
	defer lock.release()
	if err := up(opts); err != nil {
		logf("up: %v", err)
		return 1
	}
	return 0
}

func runClean() int {
	if os.Geteuid() != 0 {
		logf("clean: needs root")
		return 1
	}
	lock, err := acquireMachineLock()
	if err != nil {
		logf("clean: %v", err)
		return 3
	}
	defer lock.release()
	if err := cleanMachine(""); err != nil {
		logf("clean: %v", err)
		return 1
	}
	logf("clean: the machine has no trace of a node")
	return 0
}

func up(opts upOptions) error {
	started := time.Now()
	if err := os.MkdirAll(opts.dir, 0o755); err != nil {
		return err
	}
	logFile, err := os.Create(filepath.Join(opts.dir, nodeLogFileName))
	if err != nil {
		return err
	}
	defer logFile.Close()
	log := io.MultiWriter(logFile) // every part's output, prefixed with its name

	// A test runner that crashes leaves our pipes without a reader: SIGPIPE must not stop the clean-up.
	signal.Ignore(syscall.SIGPIPE)
	signals, stopSignals := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stopSignals()
	lifetime, end := context.WithCancelCause(signals)
	defer end(nil)
	watchParent(lifetime, func() { end(errors.New("parent process is gone")) })

	var teardown teardownSteps
	defer teardown.run()

	// A run that was killed (SIGKILL, power) left its traces: remove them before starting.
	if err := cleanMachine(opts.components); err != nil {
		return fmt.Errorf("clean what an earlier node left: %w", err)
	}
	if err := markFixedDirs(); err != nil {
		return err
	}
	if err := saveSysctls(); err != nil {
		return fmt.Errorf("save sysctls: %w", err)
	}
	teardown.add("remove everything the node created", func() {
		if err := cleanMachine(opts.components); err != nil {
			logf("clean-up incomplete: %v", err)
		}
	})

	if err := createBridge(); err != nil {
		return err
	}
	if err := writeCNIConfig(); err != nil {
		return err
	}

	harness, ready, err := startHarness(log, opts)
	if harness != nil {
		teardown.add("stop the harness", func() { harness.stop(harnessStopGrace) })
	}
	if err != nil {
		return err
	}
	api, err := newAPIClient(ready)
	if err != nil {
		return err
	}

	dns, err := startClusterDNS(api)
	if err != nil {
		return fmt.Errorf("cluster DNS on %s:%d: %w", nodeIP, dnsPort, err)
	}
	teardown.add("stop the cluster DNS", dns.close)

	archives, err := imageArchives(opts.images)
	if err != nil {
		return err
	}
	registry, err := startRegistry(archives)
	if err != nil {
		return err
	}
	teardown.add("stop the local registry", registry.close)
	if err := registry.writeHostsConfig(); err != nil {
		return err
	}

	containerd, err := startContainerd(log)
	if containerd != nil {
		// The pods go with containerd, before the harness: their API watches would hold its shutdown.
		teardown.add("stop containerd and the pods", func() {
			containerd.stop(componentStopGrace)
			if err := killNodeProcesses(); err != nil {
				logf("%v", err)
			}
		})
	}
	if err != nil {
		return err
	}
	images, err := importImages(archives)
	if err != nil {
		return err
	}

	kubelet, err := startKubelet(log, opts.components, ready.Kubeconfig)
	if err != nil {
		return err
	}
	teardown.add("stop the kubelet", func() { kubelet.stop(componentStopGrace) })
	scheduler, err := startScheduler(log, opts.components, ready.Kubeconfig)
	if err != nil {
		return err
	}
	teardown.add("stop kube-scheduler", func() { scheduler.stop(componentStopGrace) })
	proxy, err := startKubeProxy(log, opts.components, ready.Kubeconfig)
	if err != nil {
		return err
	}
	teardown.add("stop kube-proxy", func() { proxy.stop(componentStopGrace) })
	parts := []*child{harness, containerd, kubelet, scheduler, proxy}

	readyContext, cancel := context.WithTimeout(lifetime, opts.readyTimeout)
	defer cancel()
	if err := waitFor(readyContext, parts, "the node to be Ready", func() (bool, error) { return api.nodeReady(nodeName) }); err != nil {
		return err
	}
	if err := waitFor(readyContext, parts, "kube-proxy to route the kubernetes Service", kubernetesServiceRouted); err != nil {
		return err
	}

	readyPath := filepath.Join(opts.dir, nodeReadyFileName)
	if err := writeJSON(readyPath, nodeReadyFile{
		harnessReady: ready, SupervisorPID: os.Getpid(), NodeName: nodeName, NodeIP: nodeIP, PodCIDR: podCIDR,
		ContainerdSocket: containerdSocket, Images: images, LogFile: logFile.Name(),
	}); err != nil {
		return err
	}
	teardown.add("remove "+readyPath, func() { os.Remove(readyPath) })
	logf("node %s ready after %s (%d images); ready file %s", nodeName, time.Since(started).Round(time.Millisecond), len(images), readyPath)
	fmt.Println(readyLine)

	select {
	case <-lifetime.Done():
		stopSignals() // a second signal during the clean-up ends the process at once
		logf("stopping: %v", context.Cause(lifetime))
		return nil
	case <-firstExit(parts):
		return fmt.Errorf("a part of the node stopped unexpectedly: %s", exitedNames(parts))
	}
}

// startHarness runs the harness control plane with --node-ip and waits for its READY line.
func startHarness(log io.Writer, opts upOptions) (*child, harnessReady, error) {
	var ready harnessReady
	dir := filepath.Join(opts.dir, harnessDirName)
	stdoutReader, stdoutWriter := io.Pipe()
	harness, err := startChild("harness", log, stdoutWriter, opts.harness, "serve", "--dir", dir, "--node-ip", nodeIP)
	if err != nil {
		return nil, ready, err
	}
	sawReady := make(chan struct{})
	go func() {
		scanner := bufio.NewScanner(stdoutReader)
		announced := false
		for scanner.Scan() {
			if !announced && strings.TrimSpace(scanner.Text()) == readyLine {
				announced = true
				close(sawReady)
			}
		}
	}()
	select {
	case <-sawReady:
	case <-harness.done:
		return harness, ready, fmt.Errorf("the harness exited before it was ready: %v (see %s)", harness.err, nodeLogFileName)
	case <-time.After(opts.readyTimeout):
		return harness, ready, fmt.Errorf("the harness printed no %s within %s", readyLine, opts.readyTimeout)
	}
	data, err := os.ReadFile(filepath.Join(dir, "ready.json"))
	if err != nil {
		return harness, ready, err
	}
	return harness, ready, json.Unmarshal(data, &ready)
}

// kubernetesServiceRouted: kube-proxy has written the rule for the "kubernetes" Service's ClusterIP.
func kubernetesServiceRouted() (bool, error) {
	rules, err := run("iptables", "-t", "nat", "-S", "KUBE-SERVICES")
	if err != nil {
		return false, nil // the chain does not exist before kube-proxy's first sync
	}
	return strings.Contains(rules, "default/kubernetes:https"), nil
}

// waitFor polls check until it holds, the context ends, or a part of the node exits.
func waitFor(ctx context.Context, parts []*child, what string, check func() (bool, error)) error {
	var lastErr error
	for {
		ok, err := check()
		if ok {
			return nil
		}
		if err != nil {
			lastErr = err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for %s: %w (last problem: %v)", what, context.Cause(ctx), lastErr)
		case <-firstExit(parts):
			return fmt.Errorf("waiting for %s: %s exited (see %s)", what, exitedNames(parts), nodeLogFileName)
		case <-time.After(pollInterval):
		}
	}
}

func firstExit(parts []*child) <-chan struct{} {
	any := make(chan struct{})
	for _, part := range parts {
		go func(c *child) {
			<-c.done
			select {
			case <-any:
			default:
				close(any)
			}
		}(part)
	}
	return any
}

func exitedNames(parts []*child) string {
	var names []string
	for _, part := range parts {
		if part.exited() {
			names = append(names, fmt.Sprintf("%s (%v)", part.name, part.err))
		}
	}
	return strings.Join(names, ", ")
}

func writeJSON(path string, value any) error {
	data, err := json.MarshalIndent(value, "", "  ")
	if err != nil {
		return err
	}
	partial := path + ".partial"
	if err := os.WriteFile(partial, append(data, '\n'), 0o644); err != nil {
		return err
	}
	return os.Rename(partial, path)
}

// teardownSteps run in reverse order of setup, each once, whatever way up returns.
type teardownSteps struct{ steps []teardownStep }

type teardownStep struct {
	name string
	run  func()
}

func (t *teardownSteps) add(name string, run func()) {
	t.steps = append(t.steps, teardownStep{name: name, run: run})
}

func (t *teardownSteps) run() {
	for i := len(t.steps) - 1; i >= 0; i-- {
		step := t.steps[i]
		began := time.Now()
		step.run()
		logf("%s (%s)", step.name, time.Since(began).Round(time.Millisecond))
	}
	t.steps = nil
}
