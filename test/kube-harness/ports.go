package main

import (
	"fmt"
	"net"
)

const loopbackHost = "127.0.0.1"

// freeLoopbackPort asks the kernel for an unused port. The port is released before the caller binds it,
// so another process could take it in between; etcd's embed API accepts only URLs, not listeners, so this
// small window is accepted for etcd (the apiserver gets a listener that is never released).
func freeLoopbackPort() (int, error) {
	listener, err := net.Listen("tcp", net.JoinHostPort(loopbackHost, "0"))
	if err != nil {
		return 0, fmt.Errorf("find a free port on %s: %w", loopbackHost, err)
	}
	defer listener.Close()
	return listener.Addr().(*net.TCPAddr).Port, nil
}
