package main

import (
	"errors"
	"os/exec"
	"strings"
)

// nodeChainPrefixes are the iptables chains the node's parts create: kube-proxy's and the kubelet's
// (KUBE-*), and the CNI plugins' (CNI-*).
var nodeChainPrefixes = []string{"KUBE-", "CNI-"}

// removeNodeChains rewrites every table without the node's chains and without the rules that jump to
// them, leaving all other rules as they were. It is what remains after kube-proxy's own clean-up (the
// kubelet's canary and hint chains), and all of it after a run that was killed.
func removeNodeChains() error {
	var errs []error
	for _, tool := range []string{"iptables", "ip6tables"} {
		if _, err := exec.LookPath(tool + "-save"); err != nil {
			continue
		}
		saved, err := run(tool + "-save")
		if err != nil {
			errs = append(errs, err)
			continue
		}
		filtered, changed := withoutNodeChains(saved)
		if !changed {
			continue
		}
		restore := exec.Command(tool + "-restore")
		restore.Stdin = strings.NewReader(filtered)
		if out, err := restore.CombinedOutput(); err != nil {
			errs = append(errs, errors.New(tool+"-restore: "+err.Error()+": "+string(out)))
		}
	}
	return errors.Join(errs...)
}

// withoutNodeChains drops chain declarations (":KUBE-X - [0:0]"), rules in those chains ("-A KUBE-X")
// and rules that jump or go to them ("-j KUBE-X", "-g KUBE-X").
func withoutNodeChains(saved string) (string, bool) {
	var kept []string
	changed := false
	for _, line := range strings.Split(saved, "\n") {
		if isNodeChainLine(line) {
			changed = true
			continue
		}
		kept = append(kept, line)
	}
	return strings.Join(kept, "\n"), changed
}

func isNodeChainLine(line string) bool {
	fields := strings.Fields(line)
	if len(fields) == 0 {
		return false
	}
	if strings.HasPrefix(fields[0], ":") && hasNodePrefix(strings.TrimPrefix(fields[0], ":")) {
		return true
	}
	for i := 0; i+1 < len(fields); i++ {
		switch fields[i] {
		case "-A", "-I", "-j", "-g", "--jump", "--goto":
			if hasNodePrefix(fields[i+1]) {
				return true
			}
		}
	}
	return false
}

func hasNodePrefix(chain string) bool {
	for _, prefix := range nodeChainPrefixes {
		if strings.HasPrefix(chain, prefix) {
			return true
		}
	}
	return false
}
