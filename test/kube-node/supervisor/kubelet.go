package main

import (
	"fmt"
	"io"
	"os"
)

// kubeletConfigText is the KubeletConfiguration; the settings marked "required" are those the
// feasibility run found necessary on these machines (cgroup v1, no CAP_SYS_RESOURCE, no swap off).
func kubeletConfigText() string {
	return fmt.Sprintf(`apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
# required: since 1.35 the kubelet refuses cgroup v1 hosts by default
failCgroupV1: false
cgroupDriver: cgroupfs
failSwapOn: false
containerRuntimeEndpoint: %[1]q
imageServiceEndpoint: %[1]q
# The harness API server calls the kubelet (logs, exec, port-forward) without a client certificate.
authentication:
  anonymous:
    enabled: true
  webhook:
    enabled: false
authorization:
  mode: AlwaysAllow
address: %[2]q
port: %[3]d
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 0
podLogsDir: %[4]q
volumePluginDir: %[5]q
podCIDR: %[6]q
clusterDNS: [%[2]q]
clusterDomain: %[7]q
resolvConf: %[8]q
# Low thresholds and no image garbage collection: a shared CI disk must not evict the test pods or
# remove the locally imported images, which no registry could bring back.
evictionHard:
  memory.available: 100Mi
  nodefs.available: 1%%
  nodefs.inodesFree: 1%%
  imagefs.available: 1%%
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
serializeImagePulls: false
`, containerdAddress, nodeIP, kubeletPort, podLogsDir, volumePluginDir, podCIDR, dnsDomain, podResolvConf)
}

func startKubelet(log io.Writer, components, kubeconfig string) (*child, error) {
	for _, dir := range []string{kubeletRoot, kubeletCertDir, podLogsDir, volumePluginDir} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
	}
	if err := os.WriteFile(kubeletConfig, []byte(kubeletConfigText()), 0o644); err != nil {
		return nil, err
	}
	if err := os.WriteFile(podResolvConf, []byte(podResolvConfText()), 0o644); err != nil {
		return nil, err
	}
	return startChild("kubelet", log, nil, components, "kubelet",
		"--config="+kubeletConfig,
		"--kubeconfig="+kubeconfig,
		"--root-dir="+kubeletRoot,
		"--cert-dir="+kubeletCertDir,
		"--hostname-override="+nodeName,
		"--node-ip="+nodeIP,
	)
}

// startScheduler: the manual's manifests set no nodeName. Leader election is off (one scheduler) and
// its HTTPS endpoint too (nothing reads its metrics).
func startScheduler(log io.Writer, components, kubeconfig string) (*child, error) {
	return startChild("kube-scheduler", log, nil, components, "scheduler",
		"--kubeconfig="+kubeconfig,
		"--leader-elect=false",
		"--secure-port=0",
	)
}

// kubeProxyConfigText: iptables mode, so that ClusterIPs route (the operator pod reaches the API server
// through the "kubernetes" Service; the API server reaches the webhook through its Service). It must not
// change the machine's conntrack table size (maxPerCore 0), nor route_localnet (no localhost NodePorts).
// No clusterCIDR: with one, kube-proxy masquerades traffic from outside it (the host) to Services; without,
// the replies of pods to the host find their way back through conntrack alone.
func kubeProxyConfigText(kubeconfig string) string {
	return fmt.Sprintf(`apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: iptables
clientConnection:
  kubeconfig: %q
hostnameOverride: %q
bindAddress: 127.0.0.1
healthzBindAddress: ""
metricsBindAddress: 127.0.0.1:10249
conntrack:
  maxPerCore: 0
iptables:
  localhostNodePorts: false
  masqueradeAll: false
nodePortAddresses: [%q]
`, kubeconfig, nodeName, bridgeCIDR)
}

func startKubeProxy(log io.Writer, components, kubeconfig string) (*child, error) {
	if err := os.WriteFile(kubeProxyConfig, []byte(kubeProxyConfigText(kubeconfig)), 0o644); err != nil {
		return nil, err
	}
	return startChild("kube-proxy", log, nil, components, "proxy", "--config="+kubeProxyConfig)
}

// cleanupKubeProxyRules runs kube-proxy's own clean-up of the rules it wrote.
func cleanupKubeProxyRules(components string) error {
	if components == "" {
		return nil
	}
	_, err := run(components, "proxy", "--cleanup")
	return err
}
