package main

import (
	"encoding/json"
	"os"
)

// readyFile is what a test reads to reach the cluster. The first four fields are the contract; the rest
// are for tools that talk to the apiserver without a kubeconfig (curl) and for checking cleanup.
type readyFile struct {
	Kubeconfig     string `json:"kubeconfig"`
	Server         string `json:"server"`
	CAFile         string `json:"caFile"`
	PID            int    `json:"pid"`
	ClientCertFile string `json:"clientCertFile"`
	ClientKeyFile  string `json:"clientKeyFile"`
	KCMPID         int    `json:"kcmPid"`
	EtcdURL        string `json:"etcdUrl"`
	WorkDir        string `json:"workDir"`
}

// writeReadyFile renames a complete file into place so that a poller never reads half a file.
func writeReadyFile(path string, ready readyFile) error {
	data, err := json.MarshalIndent(ready, "", "  ")
	if err != nil {
		return err
	}
	partial := path + ".partial"
	if err := os.WriteFile(partial, append(data, '\n'), 0o644); err != nil {
		return err
	}
	return os.Rename(partial, path)
}
