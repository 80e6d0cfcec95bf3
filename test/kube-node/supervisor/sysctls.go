package main

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
)

// touchedSysctls are the kernel settings the node's parts change: the CNI bridge plugin turns on
// forwarding (isGateway), kube-proxy may set route_localnet and the bridge netfilter hook, and the kubelet
// (protectKernelDefaults: false) sets its kernel tunables. Their values before the node are saved once
// and written back by the clean-up.
var touchedSysctls = []string{
	"net/ipv4/ip_forward",
	"net/ipv4/conf/all/forwarding",
	"net/ipv4/conf/all/route_localnet",
	"net/bridge/bridge-nf-call-iptables",
	"net/bridge/bridge-nf-call-ip6tables",
	"vm/overcommit_memory",
	"vm/panic_on_oom",
	"kernel/panic",
	"kernel/panic_on_oops",
	"kernel/keys/root_maxkeys",
	"kernel/keys/root_maxbytes",
}

func sysctlPath(name string) string { return filepath.Join("/proc/sys", name) }

// saveSysctls records the current values unless a record from a run that did not clean up exists:
// that older record holds the machine's real values.
func saveSysctls() error {
	if _, err := os.Stat(savedSysctlsPath); err == nil {
		return nil
	}
	values := map[string]string{}
	for _, name := range touchedSysctls {
		if data, err := os.ReadFile(sysctlPath(name)); err == nil {
			values[name] = strings.TrimSpace(string(data))
		}
	}
	data, err := json.MarshalIndent(values, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(stateRoot, 0o755); err != nil {
		return err
	}
	return os.WriteFile(savedSysctlsPath, data, 0o644)
}

// restoreSysctls writes the saved values back and then forgets them.
func restoreSysctls() error {
	data, err := os.ReadFile(savedSysctlsPath)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var values map[string]string
	if err := json.Unmarshal(data, &values); err != nil {
		return err
	}
	var errs []error
	for name, value := range values {
		current, err := os.ReadFile(sysctlPath(name))
		if err == nil && strings.TrimSpace(string(current)) == value {
			continue
		}
		if err := os.WriteFile(sysctlPath(name), []byte(value+"\n"), 0o644); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) == 0 {
		errs = append(errs, os.Remove(savedSysctlsPath))
	}
	return errors.Join(errs...)
}
