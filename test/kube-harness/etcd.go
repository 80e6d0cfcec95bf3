package main

import (
	"fmt"
	"net/url"
	"time"

	"go.etcd.io/etcd/server/v3/embed"
)

const (
	etcdMemberName   = "kube-harness"
	etcdReadyTimeout = 60 * time.Second
	// etcd's info log repeats every raft step; tests need it only when something breaks.
	etcdLogLevel = "warn"
)

// startEtcd runs a single-member etcd in this process with its data in dataDir. Test data is thrown
// away on exit, so fsync is turned off: it is the slowest part of etcd on a shared disk.
func startEtcd(dataDir string) (*embed.Etcd, string, error) {
	clientURL, err := loopbackURL()
	if err != nil {
		return nil, "", err
	}
	peerURL, err := loopbackURL()
	if err != nil {
		return nil, "", err
	}

	cfg := embed.NewConfig()
	cfg.Name = etcdMemberName
	cfg.Dir = dataDir
	cfg.UnsafeNoFsync = true
	cfg.ListenClientUrls = []url.URL{clientURL}
	cfg.AdvertiseClientUrls = []url.URL{clientURL}
	cfg.ListenPeerUrls = []url.URL{peerURL}
	cfg.AdvertisePeerUrls = []url.URL{peerURL}
	cfg.InitialCluster = cfg.InitialClusterFromName(cfg.Name)
	// NewConfig leaves this at 0 (only etcd's own flag parsing sets the default), which logs every request.
	cfg.WarningUnaryRequestDuration = embed.DefaultWarningUnaryRequestDuration
	cfg.LogLevel = etcdLogLevel
	cfg.LogOutputs = []string{"stderr"}

	etcd, err := embed.StartEtcd(cfg)
	if err != nil {
		return nil, "", fmt.Errorf("start embedded etcd in %s: %w", dataDir, err)
	}
	select {
	case <-etcd.Server.ReadyNotify():
		return etcd, clientURL.String(), nil
	case err := <-etcd.Err():
		etcd.Close()
		return nil, "", fmt.Errorf("embedded etcd failed while starting: %w", err)
	case <-time.After(etcdReadyTimeout):
		etcd.Close()
		return nil, "", fmt.Errorf("embedded etcd was not ready within %s", etcdReadyTimeout)
	}
}

func loopbackURL() (url.URL, error) {
	port, err := freeLoopbackPort()
	if err != nil {
		return url.URL{}, err
	}
	return url.URL{Scheme: "http", Host: fmt.Sprintf("%s:%d", loopbackHost, port)}, nil
}
