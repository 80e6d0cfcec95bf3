package main

import (
	"errors"
	"fmt"
	"net"
	"strconv"
)

// nodeMode is what changes when a real node (a kubelet, kube-proxy and pods behind a bridge) joins the
// harness (--node-ip, used by the real-node tier, test/kube-node). Without it the harness stays a
// control plane on loopback only, as the e2e tier expects.
type nodeMode struct {
	ip net.IP // the node's address on the tier's own bridge; nil without a node
}

// firstServiceIP is the ClusterIP of the "kubernetes" Service in serviceClusterIPRange: in-cluster
// clients (the operator pod) dial it, so the serving certificate must name it.
const firstServiceIP = "10.0.0.1"

// inClusterServiceNames are the names in-cluster clients may use for the API server.
var inClusterServiceNames = []string{
	"kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local",
}

// nodeControllers run only with a node: pods need a ServiceAccount and the kube-root-ca.crt ConfigMap
// for their token volume, kube-proxy routes ClusterIPs from EndpointSlices, and the node lifecycle
// controller lifts the not-ready taint a kubelet registers with (else nothing ever schedules).
var nodeControllers = []string{
	"node-lifecycle-controller",
	"serviceaccount-controller",
	"root-ca-certificate-publisher-controller",
	"endpoints-controller",
	"endpointslice-controller",
	"endpointslice-mirroring-controller",
}

func parseNodeIP(value string) (nodeMode, error) {
	if value == "" {
		return nodeMode{}, nil
	}
	ip := net.ParseIP(value)
	if ip == nil || ip.To4() == nil || ip.IsLoopback() {
		return nodeMode{}, fmt.Errorf("--node-ip %q: want an IPv4 address of this machine other than loopback", value)
	}
	return nodeMode{ip: ip}, nil
}

func (m nodeMode) enabled() bool { return m.ip != nil }

// servingIPs and servingNames are the serving certificate's SANs.
func (m nodeMode) servingIPs() []net.IP {
	ips := []net.IP{net.ParseIP(loopbackHost)}
	if m.enabled() {
		ips = append(ips, m.ip, net.ParseIP(firstServiceIP))
	}
	return ips
}

func (m nodeMode) servingNames() []string {
	names := []string{"localhost"}
	if m.enabled() {
		names = append(names, inClusterServiceNames...)
	}
	return names
}

// apiServerFlags override the loopback-only defaults (later flags win): the "kubernetes" Service's
// endpoint is the node address, ServiceAccount admission gives pods their token, and the apiserver
// reaches the kubelet (logs, exec) by the node's InternalIP.
func (m nodeMode) apiServerFlags() []string {
	if !m.enabled() {
		return nil
	}
	return []string{
		"--advertise-address=" + m.ip.String(),
		"--enable-admission-plugins=ServiceAccount",
		"--endpoint-reconciler-type=lease",
		"--kubelet-preferred-address-types=InternalIP,Hostname",
	}
}

// listen holds the apiserver's port on loopback and, with a node, on the node address too (the same
// port on both: the "kubernetes" Service's endpoint is node-ip:port). Never on every interface.
func (m nodeMode) listen() (net.Listener, int, error) {
	loopback, err := net.Listen("tcp", net.JoinHostPort(loopbackHost, "0"))
	if err != nil {
		return nil, 0, fmt.Errorf("listen for kube-apiserver on %s: %w", loopbackHost, err)
	}
	port := loopback.Addr().(*net.TCPAddr).Port
	if !m.enabled() {
		return loopback, port, nil
	}
	node, err := net.Listen("tcp", net.JoinHostPort(m.ip.String(), strconv.Itoa(port)))
	if err != nil {
		loopback.Close()
		return nil, 0, fmt.Errorf("listen for kube-apiserver on the node address %s: %w", m.ip, err)
	}
	return newJoinedListener(loopback, node), port, nil
}

// joinedListener accepts from several listeners as one: the apiserver takes a single net.Listener.
type joinedListener struct {
	listeners []net.Listener
	accepted  chan acceptResult
	closed    chan struct{}
}

type acceptResult struct {
	conn net.Conn
	err  error
}

func newJoinedListener(listeners ...net.Listener) *joinedListener {
	j := &joinedListener{listeners: listeners, accepted: make(chan acceptResult), closed: make(chan struct{})}
	for _, listener := range listeners {
		go func(l net.Listener) {
			for {
				conn, err := l.Accept()
				select {
				case j.accepted <- acceptResult{conn, err}:
				case <-j.closed:
					if conn != nil {
						conn.Close()
					}
					return
				}
				if err != nil {
					return
				}
			}
		}(listener)
	}
	return j
}

func (j *joinedListener) Accept() (net.Conn, error) {
	select {
	case result := <-j.accepted:
		return result.conn, result.err
	case <-j.closed:
		return nil, net.ErrClosed
	}
}

func (j *joinedListener) Close() error {
	select {
	case <-j.closed:
		return nil
	default:
		close(j.closed)
	}
	var errs []error
	for _, listener := range j.listeners {
		errs = append(errs, listener.Close())
	}
	return errors.Join(errs...)
}

// Addr is the loopback address: the URL in the kubeconfig and ready file.
func (j *joinedListener) Addr() net.Addr { return j.listeners[0].Addr() }
