package main

import (
	"context"
	"fmt"
	"net"
	"strconv"

	"github.com/spf13/pflag"
	"k8s.io/apiserver/pkg/server/flagz"
	basecompatibility "k8s.io/component-base/compatibility"
	logsapi "k8s.io/component-base/logs/api/v1"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
	"k8s.io/kubernetes/cmd/kube-apiserver/app/options"
)

const (
	serviceClusterIPRange = "10.0.0.0/24"
	// Without an apiserver ServiceAccount admission plugin, pods need no ServiceAccount object and no
	// token controller: without a node (--node-ip) no kubelet would ever use a mounted token.
	disabledAdmissionPlugins = "ServiceAccount"
)

// apiServerFlags are kube-apiserver's own flags, so that the in-process server is configured exactly as
// a kube-apiserver binary with the same command line would be.
func apiServerFlags(port int, etcdURL, certDir string, pki pkiFiles) []string {
	issuer := "https://" + net.JoinHostPort(loopbackHost, strconv.Itoa(port))
	return []string{
		"--etcd-servers=" + etcdURL,
		"--bind-address=" + loopbackHost,
		// Otherwise the server advertises the default-route address, or fails where there is none.
		"--advertise-address=" + loopbackHost,
		"--secure-port=" + strconv.Itoa(port),
		"--cert-dir=" + certDir,
		"--tls-cert-file=" + pki.ServingCert,
		"--tls-private-key-file=" + pki.ServingKey,
		"--client-ca-file=" + pki.CACert,
		"--service-account-issuer=" + issuer,
		"--service-account-signing-key-file=" + pki.ServiceAccount,
		"--service-account-key-file=" + pki.ServiceAccount,
		"--service-cluster-ip-range=" + serviceClusterIPRange,
		"--authorization-mode=RBAC",
		"--allow-privileged=true",
		// There is no kubelet or network behind the "kubernetes" Service, so nothing to reconcile.
		"--endpoint-reconciler-type=none",
	}
}

// admissionFlags: list flags append when repeated, so a node cannot override this one later.
func admissionFlags(node nodeMode) []string {
	if node.enabled() {
		return nil
	}
	return []string{"--disable-admission-plugins=" + disabledAdmissionPlugins}
}

// startAPIServer runs kube-apiserver in this process until ctx is cancelled. It follows what
// app.NewAPIServerCommand does, minus its signal handler: this process owns SIGTERM so that it can stop
// the controller manager and etcd after the apiserver. The completion ends when Run returns.
func startAPIServer(ctx context.Context, etcdURL, certDir string, pki pkiFiles, node nodeMode, extraArgs []string) (int, *completion, error) {
	// A listener held from the start leaves no window for another process to take the port.
	listener, port, err := node.listen()
	if err != nil {
		return 0, nil, err
	}
	keepListener := false
	defer func() {
		if !keepListener {
			listener.Close()
		}
	}()

	opts := options.NewServerRunOptions()
	flags := pflag.NewFlagSet("kube-apiserver", pflag.ContinueOnError)
	namedFlagSets := opts.Flags()
	for _, set := range namedFlagSets.FlagSets {
		flags.AddFlagSet(set)
	}
	opts.Flagz = flagz.NamedFlagSetsReader{FlagSets: namedFlagSets}
	args := append(append(append(apiServerFlags(port, etcdURL, certDir, pki), admissionFlags(node)...), node.apiServerFlags()...), extraArgs...)
	if err := flags.Parse(args); err != nil {
		return 0, nil, fmt.Errorf("kube-apiserver flags %v: %w", args, err)
	}
	opts.SecureServing.Listener = listener

	registry := opts.GenericServerRunOptions.ComponentGlobalsRegistry
	if err := registry.Set(); err != nil {
		return 0, nil, fmt.Errorf("kube-apiserver feature gates: %w", err)
	}
	if err := logsapi.ValidateAndApply(opts.Logs, registry.FeatureGateFor(basecompatibility.DefaultKubeComponent)); err != nil {
		return 0, nil, fmt.Errorf("kube-apiserver logging flags: %w", err)
	}
	completed, err := opts.Complete(ctx)
	if err != nil {
		return 0, nil, fmt.Errorf("complete kube-apiserver options: %w", err)
	}
	if errs := completed.Validate(); len(errs) != 0 {
		return 0, nil, fmt.Errorf("invalid kube-apiserver options: %v", errs)
	}
	config, err := app.NewConfig(completed)
	if err != nil {
		return 0, nil, fmt.Errorf("build kube-apiserver config: %w", err)
	}
	completedConfig, err := config.Complete()
	if err != nil {
		return 0, nil, fmt.Errorf("complete kube-apiserver config: %w", err)
	}
	server, err := app.CreateServerChain(completedConfig)
	if err != nil {
		return 0, nil, fmt.Errorf("create kube-apiserver server chain: %w", err)
	}
	prepared, err := server.PrepareRun()
	if err != nil {
		return 0, nil, fmt.Errorf("prepare kube-apiserver: %w", err)
	}

	keepListener = true
	done := newCompletion()
	go func() { done.finish(prepared.Run(ctx)) }()
	return port, done, nil
}
