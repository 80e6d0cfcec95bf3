// Command harness runs a real Kubernetes control plane (embedded etcd, an in-process kube-apiserver and a
// kube-controller-manager child process) on 127.0.0.1 for the project's real-cluster tests. It is test
// tooling only: the operator itself is TypeScript and never imports this module.
package main

import (
	"fmt"
	"os"
)

const usage = `usage:
  harness serve --dir DIR [--ready-timeout 180s] [--node-ip IP] [-- extra kube-apiserver flags]
      start etcd + kube-apiserver + kube-controller-manager; write DIR/admin.kubeconfig and
      DIR/ready.json, print READY, run until SIGTERM/SIGINT or until the parent process dies
  harness kcm [kube-controller-manager flags]
      run the kube-controller-manager (started by "serve"; a separate process because the
      apiserver and the controller manager cannot share one process's global flags and signals)
`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	switch os.Args[1] {
	case "serve":
		os.Exit(runServe(os.Args[2:]))
	case "kcm":
		os.Exit(runKCM(os.Args[2:]))
	case "-h", "--help", "help":
		fmt.Print(usage)
	default:
		fmt.Fprintf(os.Stderr, "harness: unknown command %q\n%s", os.Args[1], usage)
		os.Exit(2)
	}
}
