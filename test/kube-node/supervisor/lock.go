package main

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// errNodeRunning is returned when another node holds the machine: a kubelet's port 10250, its kubepods
// cgroups, /var/lib/kubelet/device-plugins and its iptables chains exist once per machine.
var errNodeRunning = errors.New("another real node already runs on this machine")

// machineLock is held for the node's whole life. The kernel releases a flock when its holder dies, so a
// killed node never blocks the next run; "up" then cleans what it left.
type machineLock struct{ file *os.File }

func acquireMachineLock() (*machineLock, error) {
	file, err := os.OpenFile(lockPath, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", lockPath, err)
	}
	if err := syscall.Flock(int(file.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		owner, _ := os.ReadFile(lockPath)
		file.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%w (supervisor pid %s holds %s): one node per machine; stop that run first",
				errNodeRunning, strings.TrimSpace(string(owner)), lockPath)
		}
		return nil, fmt.Errorf("lock %s: %w", lockPath, err)
	}
	if err := file.Truncate(0); err == nil {
		_, _ = file.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return &machineLock{file: file}, nil
}

func (l *machineLock) release() {
	_ = l.file.Truncate(0)
	_ = syscall.Flock(int(l.file.Fd()), syscall.LOCK_UN)
	l.file.Close()
}
