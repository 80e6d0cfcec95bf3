// Command kube-node-components runs one of the node-side Kubernetes components (kubelet, kube-scheduler,
// kube-proxy) built from Kubernetes' own Go modules, for the project's real-node test tier. One binary
// holds all three so that they share one cached build; each runs in its own process, because the
// components register global flags and signal handlers that cannot coexist in one process.
// It is test tooling only: the operator itself is TypeScript and never imports this module.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/spf13/cobra"
	"k8s.io/component-base/cli"
	_ "k8s.io/component-base/logs/json/register"
	_ "k8s.io/component-base/metrics/prometheus/clientgo"
	_ "k8s.io/component-base/metrics/prometheus/version"
	proxyapp "k8s.io/kubernetes/cmd/kube-proxy/app"
	schedulerapp "k8s.io/kubernetes/cmd/kube-scheduler/app"
	kubeletapp "k8s.io/kubernetes/cmd/kubelet/app"
)

const usage = `usage:
  kube-node-components kubelet   [kubelet flags]
  kube-node-components scheduler [kube-scheduler flags]
  kube-node-components proxy     [kube-proxy flags]
`

// commands build only the component asked for: constructing a command registers its flags.
var commands = map[string]func() *cobra.Command{
	"kubelet":   func() *cobra.Command { return kubeletapp.NewKubeletCommand(context.Background()) },
	"scheduler": func() *cobra.Command { return schedulerapp.NewSchedulerCommand() },
	"proxy":     proxyapp.NewProxyCommand,
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	build, ok := commands[os.Args[1]]
	if !ok {
		fmt.Fprintf(os.Stderr, "kube-node-components: unknown component %q\n%s", os.Args[1], usage)
		os.Exit(2)
	}
	command := build()
	command.SetArgs(os.Args[2:])
	os.Exit(cli.Run(command))
}
