// Command pause is the pod sandbox's first process for the real-node tier's local pause image (no
// registry is reachable, so registry.k8s.io/pause cannot be pulled): it sleeps until SIGTERM or SIGINT and,
// as PID 1 of a pod that shares its process namespace, reaps the orphans that are re-parented to it.
package main

import (
	"os"
	"os/signal"
	"syscall"
)

func main() {
	signals := make(chan os.Signal, 8)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT, syscall.SIGCHLD)
	for sig := range signals {
		if sig != syscall.SIGCHLD {
			os.Exit(0)
		}
		for {
			var status syscall.WaitStatus
			pid, err := syscall.Wait4(-1, &status, syscall.WNOHANG, nil)
			if pid <= 0 || err != nil {
				break
			}
		}
	}
}
