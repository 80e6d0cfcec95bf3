// Command kube-node-supervisor runs one real Kubernetes node beside the project's kube-harness for the
// real-node test tier: a private containerd (Debian's, with runc and the CNI plugins), the tier's bridge,
// the harness control plane with --node-ip, a kubelet, kube-scheduler and kube-proxy (the components
// binary). It owns their whole lifecycle, so that everything they create on the machine (processes,
// mounts, cgroups, network namespaces, the bridge, sysctls, iptables chains, log links) is removed when it
// stops — on SIGTERM/SIGINT, when its parent dies, when a part fails — and by "clean" after a SIGKILL.
// It is test tooling only: the operator itself is TypeScript and never imports this module.
package main

import (
	"fmt"
	"os"
)

const usage = `usage:
  kube-node-supervisor up --dir DIR --harness BINARY --components BINARY --images DIR
      start the node (one per machine); write DIR/node.json, print READY, run until SIGTERM/SIGINT
      or until the parent process dies, then remove everything the node created
  kube-node-supervisor clean
      remove what a node that was killed without a chance to clean up left on this machine
`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	switch os.Args[1] {
	case "up":
		os.Exit(runUp(os.Args[2:]))
	case "clean":
		os.Exit(runClean())
	case "-h", "--help", "help":
		fmt.Print(usage)
	default:
		fmt.Fprintf(os.Stderr, "kube-node-supervisor: unknown command %q\n%s", os.Args[1], usage)
		os.Exit(2)
	}
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "kube-node: "+format+"\n", args...)
}
