package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"
)

const (
	defaultReadyTimeout  = 180 * time.Second // /readyz takes up to ~2 min on 2 busy cores
	kcmStopTimeout       = 10 * time.Second
	apiServerStopTimeout = 30 * time.Second
	readyFileName        = "ready.json"
	kubeconfigFileName   = "admin.kubeconfig"
	readyLine            = "READY"
	// etcd's write-ahead log preallocates 64 MiB segments: a small tmpfs would fail, so memory is used
	// only where it has room.
	minTempFreeBytes = 1 << 30
)

var errParentGone = errors.New("parent process is gone")

type serveOptions struct {
	dir            string
	readyTimeout   time.Duration
	node           nodeMode
	extraAPIServer []string
}

func parseServeOptions(args []string) (serveOptions, error) {
	var opts serveOptions
	flags := flag.NewFlagSet("harness serve", flag.ContinueOnError)
	flags.StringVar(&opts.dir, "dir", "", "directory for admin.kubeconfig, ready.json and the certificates (created if missing)")
	flags.DurationVar(&opts.readyTimeout, "ready-timeout", defaultReadyTimeout, "how long to wait for kube-apiserver /readyz")
	nodeIP := flags.String("node-ip", "", "also serve on this node address and configure the control plane for a kubelet there (test/kube-node)")
	if err := flags.Parse(args); err != nil {
		return opts, err
	}
	node, err := parseNodeIP(*nodeIP)
	if err != nil {
		return opts, err
	}
	opts.node = node
	if opts.dir == "" {
		return opts, errors.New("--dir is required: the directory to write admin.kubeconfig and ready.json into")
	}
	// Everything after "--" is passed to kube-apiserver (e.g. --feature-gates=...).
	opts.extraAPIServer = flags.Args()
	return opts, nil
}

func runServe(args []string) int {
	opts, err := parseServeOptions(args)
	if err != nil {
		fmt.Fprintf(os.Stderr, "harness serve: %v\n", err)
		return 2
	}
	if err := serve(opts); err != nil {
		fmt.Fprintf(os.Stderr, "harness serve: %v\n", err)
		return 1
	}
	return 0
}

// serve starts etcd, kube-apiserver and the controller manager, announces them, and tears them down in
// reverse order when told to stop, when its parent dies, or when one of them fails.
func serve(opts serveOptions) error {
	started := time.Now()
	dir, err := filepath.Abs(opts.dir)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create --dir %s: %w", dir, err)
	}

	// A test runner that crashes leaves our stdout/stderr pipes without a reader; the default SIGPIPE
	// would then kill this process mid-log, before it can stop etcd and remove its work dir.
	signal.Ignore(syscall.SIGPIPE)
	signals, stopSignals := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stopSignals()
	lifetime, endLifetime := context.WithCancelCause(signals)
	defer endLifetime(nil)
	watchParent(lifetime, func() { endLifetime(errParentGone) })

	var teardown teardownSteps
	defer teardown.run()

	workDir, err := createWorkDir(tempRoot())
	if err != nil {
		return err
	}
	teardown.add("remove "+workDir, func() { os.RemoveAll(workDir) })

	readyPath := filepath.Join(dir, readyFileName)
	kubeconfigPath := filepath.Join(dir, kubeconfigFileName)
	pki, err := generatePKI(dir, workDir, opts.node)
	// The files in --dir are removed too, so that a stale ready.json never points at a dead server.
	teardown.add("remove files in "+dir, func() {
		for _, path := range []string{readyPath, readyPath + ".partial", kubeconfigPath, pki.CACert, pki.AdminCert, pki.AdminKey} {
			os.Remove(path)
		}
	})
	if err != nil {
		return err
	}

	etcd, etcdURL, err := startEtcd(filepath.Join(workDir, "etcd"))
	if err != nil {
		return err
	}
	teardown.add("stop etcd", etcd.Close)

	// The apiserver's own context is not the process lifetime: it must outlive the signal until the
	// controller manager, its client, has been stopped.
	apiContext, stopAPIServer := context.WithCancel(context.Background())
	defer stopAPIServer()
	port, apiServer, err := startAPIServer(apiContext, etcdURL, filepath.Join(workDir, "apiserver"), pki, opts.node, opts.extraAPIServer)
	if err != nil {
		return err
	}
	teardown.add("stop kube-apiserver", func() {
		stopAPIServer()
		if !apiServer.wait(apiServerStopTimeout) {
			fmt.Fprintf(os.Stderr, "harness serve: kube-apiserver did not stop within %s; exiting anyway\n", apiServerStopTimeout)
		}
	})

	server := fmt.Sprintf("https://%s:%d", loopbackHost, port)
	client, err := adminClient(server, pki)
	if err != nil {
		return err
	}
	readyContext, cancelReady := context.WithTimeout(lifetime, opts.readyTimeout)
	err = waitForAPIServer(readyContext, client, apiServer)
	cancelReady()
	if err != nil {
		return err
	}
	apiServerReady := time.Since(started)

	if err := writeAdminKubeconfig(kubeconfigPath, server, pki); err != nil {
		return fmt.Errorf("write %s: %w", kubeconfigPath, err)
	}
	kcm, kcmExited, err := startKCMProcess(kubeconfigPath, opts.node)
	if err != nil {
		return err
	}
	teardown.add("stop kube-controller-manager", func() { stopProcess(kcm, kcmExited, kcmStopTimeout) })

	if err := writeReadyFile(readyPath, readyFile{
		Kubeconfig:     kubeconfigPath,
		Server:         server,
		CAFile:         pki.CACert,
		PID:            os.Getpid(),
		ClientCertFile: pki.AdminCert,
		ClientKeyFile:  pki.AdminKey,
		KCMPID:         kcm.Process.Pid,
		EtcdURL:        etcdURL,
		WorkDir:        workDir,
	}); err != nil {
		return fmt.Errorf("write %s: %w", readyPath, err)
	}
	fmt.Fprintf(os.Stderr, "harness serve: kube-apiserver %s ready after %s; ready file %s\n", server, apiServerReady.Round(time.Millisecond), readyPath)
	fmt.Println(readyLine)

	select {
	case <-lifetime.Done():
		// A second SIGTERM/SIGINT during teardown now ends the process at once.
		stopSignals()
		fmt.Fprintf(os.Stderr, "harness serve: stopping: %v\n", context.Cause(lifetime))
		return nil
	case <-apiServer.done:
		return fmt.Errorf("kube-apiserver stopped unexpectedly: %v", apiServer.err)
	case <-kcmExited.done:
		return fmt.Errorf("kube-controller-manager exited unexpectedly: %v", kcmExited.err)
	}
}

// stopProcess asks a child to terminate and kills it if it does not within timeout.
func stopProcess(cmd *exec.Cmd, exited *completion, timeout time.Duration) {
	select {
	case <-exited.done:
		return
	default:
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	if !exited.wait(timeout) {
		_ = cmd.Process.Kill()
		exited.wait(timeout)
	}
}

// tempRoot prefers memory (/dev/shm) for etcd's data when it has room: nothing there must survive.
func tempRoot() string {
	const shm = "/dev/shm"
	var stat syscall.Statfs_t
	if err := syscall.Statfs(shm, &stat); err == nil && stat.Bavail*uint64(stat.Bsize) >= minTempFreeBytes {
		if probe, err := os.MkdirTemp(shm, "kube-harness-probe-"); err == nil {
			os.Remove(probe)
			return shm
		}
	}
	return os.TempDir()
}

// teardownSteps run in reverse order of setup, each once, whatever way serve returns.
type teardownSteps struct {
	steps []teardownStep
}

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
		fmt.Fprintf(os.Stderr, "harness serve: %s (%s)\n", step.name, time.Since(began).Round(time.Millisecond))
	}
	t.steps = nil
}
