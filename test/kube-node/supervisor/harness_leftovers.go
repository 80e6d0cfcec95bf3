package main

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// A harness killed with its supervisor (SIGKILL) leaves its work directory (etcd data, on /dev/shm that is
// memory). The harness removes such directories itself when it next starts; "clean" does it now, for
// directories whose owner (owner.pid, written by the harness) no longer runs — never a live harness's.
const (
	harnessWorkDirPrefix = "kube-harness-"
	harnessOwnerFile     = "owner.pid"
)

var harnessTempRoots = []string{"/dev/shm", os.TempDir()}

func removeAbandonedHarnessDirs() error {
	var errs []error
	for _, root := range harnessTempRoots {
		entries, _ := os.ReadDir(root)
		for _, entry := range entries {
			if !entry.IsDir() || !strings.HasPrefix(entry.Name(), harnessWorkDirPrefix) {
				continue
			}
			dir := filepath.Join(root, entry.Name())
			owner, err := os.ReadFile(filepath.Join(dir, harnessOwnerFile))
			if err != nil {
				continue
			}
			pid, err := strconv.Atoi(strings.TrimSpace(string(owner)))
			if err != nil || processAlive(pid) {
				continue
			}
			errs = append(errs, os.RemoveAll(dir))
		}
	}
	return errors.Join(errs...)
}

// processAlive errs on the side of "yes": a directory goes only when its owner is surely gone.
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
