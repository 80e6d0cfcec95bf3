package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

const (
	workDirPrefix = "kube-harness-"
	ownerFileName = "owner.pid"
)

// createWorkDir makes this run's private directory (etcd data, serving cert, service-account key) and
// records our pid in it. A harness killed with SIGKILL cannot remove its directory, and on /dev/shm that
// leak is memory, so each start first removes the directories of harnesses that are no longer running.
func createWorkDir(root string) (string, error) {
	removeAbandonedWorkDirs(root)
	dir, err := os.MkdirTemp(root, workDirPrefix)
	if err != nil {
		return "", fmt.Errorf("create work dir in %s: %w", root, err)
	}
	if err := os.WriteFile(filepath.Join(dir, ownerFileName), []byte(strconv.Itoa(os.Getpid())), 0o600); err != nil {
		os.RemoveAll(dir)
		return "", fmt.Errorf("write owner of %s: %w", dir, err)
	}
	return dir, nil
}

func removeAbandonedWorkDirs(root string) {
	entries, err := os.ReadDir(root)
	if err != nil {
		return
	}
	for _, entry := range entries {
		if !entry.IsDir() || !strings.HasPrefix(entry.Name(), workDirPrefix) {
			continue
		}
		dir := filepath.Join(root, entry.Name())
		owner, err := os.ReadFile(filepath.Join(dir, ownerFileName))
		if err != nil {
			continue // not ours, or still being created
		}
		pid, err := strconv.Atoi(strings.TrimSpace(string(owner)))
		if err != nil || processExists(pid) {
			continue
		}
		if err := os.RemoveAll(dir); err == nil {
			fmt.Fprintf(os.Stderr, "harness serve: removed %s left by a harness (pid %d) that no longer runs\n", dir, pid)
		}
	}
}

// processExists errs on the side of "yes": a directory is removed only when its owner is surely gone.
func processExists(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
