package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// createBridge makes the tier's bridge with the node address before anything starts: the API server
// listens there, and the CNI bridge plugin adopts the existing bridge and its gateway address.
func createBridge() error {
	if _, err := run("ip", "link", "add", bridgeName, "type", "bridge"); err != nil {
		return err
	}
	if _, err := run("ip", "addr", "add", bridgeCIDR, "dev", bridgeName); err != nil {
		return err
	}
	_, err := run("ip", "link", "set", bridgeName, "up")
	return err
}

func deleteBridge() error {
	if _, err := os.Stat(filepath.Join("/sys/class/net", bridgeName)); err != nil {
		return nil
	}
	_, err := run("ip", "link", "delete", bridgeName)
	return err
}

// cniConflist: bridge + host-local on the tier's /24. ipMasq false and no default route other than the
// bridge: pod traffic can reach only this machine's addresses (the node address, other pods).
func cniConflist() string {
	return fmt.Sprintf(`{
  "cniVersion": "0.4.0",
  "name": "datakit-kube-node",
  "plugins": [
    {
      "type": "bridge",
      "bridge": %q,
      "isGateway": true,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "dataDir": %q,
        "ranges": [[{ "subnet": %q, "gateway": %q }]],
        "routes": [{ "dst": "0.0.0.0/0" }]
      }
    }
  ]
}
`, bridgeName, cniDataDir, podCIDR, nodeIP)
}

func writeCNIConfig() error {
	if err := os.MkdirAll(cniConfDir, 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(cniConfDir, "10-datakit-kube-node.conflist"), []byte(cniConflist()), 0o644)
}

// podResolvConfText points pods at the node address, where the tier's cluster DNS answers *.svc names
// and nothing else: no query is ever forwarded off the machine.
func podResolvConfText() string {
	return strings.Join([]string{"nameserver " + nodeIP, "options ndots:5", ""}, "\n")
}
