package main

import (
	"net"
	"strings"

	"golang.org/x/net/dns/dnsmessage"
)

const (
	dnsPort      = 53
	dnsTTL       = 5 // seconds: Services of a test come and go
	serviceZone  = ".svc." + dnsDomain + "."
	maxDNSPacket = 1232
)

// clusterDNS answers the A records of Services (<service>.<namespace>.svc.cluster.local, the names the
// manual's config uses, e.g. datakit-service.datakit.svc) from the API server, on the node address where
// the kubelet points every pod. Every other name gets NXDOMAIN: nothing is ever forwarded, so no query
// leaves the machine. It stands in for CoreDNS, which would need another large build.
type clusterDNS struct {
	api  *apiClient
	conn *net.UDPConn
}

func startClusterDNS(api *apiClient) (*clusterDNS, error) {
	conn, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.ParseIP(nodeIP), Port: dnsPort})
	if err != nil {
		return nil, err
	}
	dns := &clusterDNS{api: api, conn: conn}
	go dns.serve()
	return dns, nil
}

func (d *clusterDNS) close() { d.conn.Close() }

func (d *clusterDNS) serve() {
	buffer := make([]byte, maxDNSPacket)
	for {
		n, from, err := d.conn.ReadFromUDP(buffer)
		if err != nil {
			return // closed
		}
		if reply, ok := d.answer(buffer[:n]); ok {
			_, _ = d.conn.WriteToUDP(reply, from)
		}
	}
}

func (d *clusterDNS) answer(query []byte) ([]byte, bool) {
	var parser dnsmessage.Parser
	header, err := parser.Start(query)
	if err != nil {
		return nil, false
	}
	question, err := parser.Question()
	if err != nil {
		return nil, false
	}
	reply := dnsmessage.Message{
		Header:    dnsmessage.Header{ID: header.ID, Response: true, Authoritative: true, RCode: dnsmessage.RCodeNameError},
		Questions: []dnsmessage.Question{question},
	}
	if ip := d.serviceIP(question.Name.String()); ip != nil {
		reply.RCode = dnsmessage.RCodeSuccess // AAAA and other types: the name exists, with no such record
		if question.Type == dnsmessage.TypeA {
			var a dnsmessage.AResource
			copy(a.A[:], ip.To4())
			reply.Answers = []dnsmessage.Resource{{
				Header: dnsmessage.ResourceHeader{Name: question.Name, Type: dnsmessage.TypeA, Class: dnsmessage.ClassINET, TTL: dnsTTL},
				Body:   &a,
			}}
		}
	}
	packed, err := reply.Pack()
	return packed, err == nil
}

// serviceIP is the ClusterIP of the Service a name designates, or nil.
func (d *clusterDNS) serviceIP(name string) net.IP {
	name = strings.ToLower(name)
	if !strings.HasSuffix(name, serviceZone) {
		return nil
	}
	labels := strings.Split(strings.TrimSuffix(name, serviceZone), ".")
	if len(labels) != 2 {
		return nil
	}
	var service struct {
		Spec struct {
			ClusterIP string `json:"clusterIP"`
		} `json:"spec"`
	}
	found, err := d.api.get("/api/v1/namespaces/"+labels[1]+"/services/"+labels[0], &service)
	if err != nil || !found {
		return nil
	}
	ip := net.ParseIP(service.Spec.ClusterIP)
	if ip == nil || ip.To4() == nil {
		return nil // headless or IPv6
	}
	return ip
}
