package main

import "path/filepath"

// Every name and path the node uses on the machine. All of them are private to the tier, so that the
// clean-up can remove them without touching anything else; the few fixed paths that Kubernetes or
// containerd hard-code (/var/log/containers, /run/containerd, /var/lib/kubelet/device-plugins, netns
// cni-*) are named here too, and cleaned only of what the node put there.
const (
	nodeName   = "datakit-test-node"
	bridgeName = "dkn0"
	// The node's address is the bridge's: pods reach the API server, the fake DataKit and the cluster DNS
	// there, and nothing on it leaves the machine (no masquerade, no route off the machine).
	nodeIP     = "10.244.0.1"
	podCIDR    = "10.244.0.0/24"
	bridgeCIDR = nodeIP + "/24"
	dnsDomain  = "cluster.local"

	lockPath  = "/run/datakit-kube-node.lock"
	stateRoot = "/run/datakit-kube-node"     // sockets, containerd state, the saved sysctls
	dataRoot  = "/var/lib/datakit-kube-node" // containerd images and snapshots, kubelet root, pod logs

	cniBinDir = "/usr/lib/cni" // Debian's containernetworking-plugins

	// Fixed by Kubernetes or containerd, not configurable.
	containerLogLinks   = "/var/log/containers"
	containerdFixedRun  = "/run/containerd"
	kubeletFixedRoot    = "/var/lib/kubelet"
	netnsDir            = "/run/netns"
	cniNetnsPrefix      = "cni-"
	cgroupRoot          = "/sys/fs/cgroup"
	kubepodsCgroup      = "kubepods"
	savedSysctlsName    = "sysctls.json"
	createdMarkerSuffix = ".created-by-datakit-kube-node"

	pauseImage  = "registry.k8s.io/pause:3.10" // containerd's sandbox image: built by the tier
	kubeletPort = 10250
)

var (
	containerdState   = filepath.Join(stateRoot, "containerd")
	containerdSocket  = filepath.Join(stateRoot, "containerd.sock")
	containerdRoot    = filepath.Join(dataRoot, "containerd")
	containerdOpt     = filepath.Join(dataRoot, "containerd-opt")
	containerdConfig  = filepath.Join(stateRoot, "containerd.toml")
	cniConfDir        = filepath.Join(stateRoot, "net.d")
	cniDataDir        = filepath.Join(dataRoot, "cni-ipam")
	kubeletRoot       = filepath.Join(dataRoot, "kubelet")
	kubeletCertDir    = filepath.Join(dataRoot, "kubelet-pki")
	kubeletConfig     = filepath.Join(stateRoot, "kubelet.yaml")
	podLogsDir        = filepath.Join(dataRoot, "pod-logs")
	volumePluginDir   = filepath.Join(dataRoot, "volume-plugins")
	podResolvConf     = filepath.Join(stateRoot, "resolv.conf")
	kubeProxyConfig   = filepath.Join(stateRoot, "kube-proxy.yaml")
	savedSysctlsPath  = filepath.Join(stateRoot, savedSysctlsName)
	containerdAddress = "unix://" + containerdSocket
)
