package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"strings"
	"syscall"

	kcmapp "k8s.io/kubernetes/cmd/kube-controller-manager/app"
)

// kcmControllers are the controllers the real-cluster tests rely on: Deployments and Jobs that create
// Pods (which then pass through admission webhooks), owner-reference cleanup, and namespace deletion.
var kcmControllers = []string{
	"deployment-controller",
	"replicaset-controller",
	"job-controller",
	"garbage-collector-controller",
	"namespace-controller",
}

func kcmFlags(kubeconfig string, node nodeMode) []string {
	controllers := kcmControllers
	if node.enabled() {
		controllers = append(append([]string{}, kcmControllers...), nodeControllers...)
	}
	return []string{
		"--kubeconfig=" + kubeconfig,
		"--controllers=" + strings.Join(controllers, ","),
		"--leader-elect=false",
		"--secure-port=0",
	}
}

// runKCM is the "kcm" subcommand: kube-controller-manager's own command, which exits on its own when
// its parent (the "serve" process) is gone, even if that parent was killed without a chance to stop it.
func runKCM(args []string) int {
	signal.Ignore(syscall.SIGPIPE) // exit through the parent watch, not mid-log (see serve)
	watchParent(context.Background(), func() {
		fmt.Fprintln(os.Stderr, "harness kcm: parent process is gone; exiting")
		os.Exit(0)
	})
	command := kcmapp.NewControllerManagerCommand()
	command.SetArgs(args)
	if err := command.Execute(); err != nil {
		fmt.Fprintf(os.Stderr, "harness kcm: %v\n", err)
		return 1
	}
	return 0
}

// startKCMProcess starts this same binary as "harness kcm". The completion ends when the process does.
func startKCMProcess(kubeconfig string, node nodeMode) (*exec.Cmd, *completion, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, nil, fmt.Errorf("find this executable to start the controller manager: %w", err)
	}
	cmd := exec.Command(self, append([]string{"kcm"}, kcmFlags(kubeconfig, node)...)...)
	cmd.Stdout = os.Stderr // stdout belongs to the READY protocol
	cmd.Stderr = os.Stderr
	// The kernel kills the child when the thread that forked it ends, so that thread is pinned below for
	// the child's whole life; the child's own parent watch covers anything this misses.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}

	started := make(chan error, 1)
	exited := newCompletion()
	go func() {
		runtime.LockOSThread()
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		exited.finish(cmd.Wait())
	}()
	if err := <-started; err != nil {
		return nil, nil, fmt.Errorf("start controller manager %s: %w", self, err)
	}
	return cmd, exited, nil
}
