package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// cleanMachine removes everything a node creates, whether or not it is running now (the caller holds
// the machine lock, so no node is). Each step runs even when an earlier one failed; the errors are joined.
// components may be "" (the clean command without a build), then kube-proxy's own clean-up is skipped
// and the chain removal below does its work.
func cleanMachine(components string) error {
	var errs []error
	step := func(name string, fn func() error) {
		if err := fn(); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
		}
	}
	step("kill the node's processes", killNodeProcesses)
	step("unmount", unmountNodeMounts)
	step("remove pod network namespaces", removePodNetns)
	step("remove kubepods cgroups", removeKubepodsCgroups)
	step("kube-proxy clean-up", func() error { return cleanupKubeProxyRules(components) })
	step("remove iptables chains", removeNodeChains)
	step("delete the bridge", deleteBridge)
	step("restore sysctls", restoreSysctls)
	step("remove container log links", removeContainerLogLinks)
	step("remove directories", removeNodeDirs)
	step("remove abandoned harness work directories", removeAbandonedHarnessDirs)
	return errors.Join(errs...)
}

// killNodeProcesses SIGKILLs every process in the kubepods cgroups (the pods' containers) and every
// process whose command line names the node's private directories (containerd, its shims, the kubelet
// and components started by a killed supervisor). Only processes of this tier match.
func killNodeProcesses() error {
	for attempt := 0; attempt < 20; attempt++ {
		pids := nodeProcesses()
		if len(pids) == 0 {
			return nil
		}
		for _, pid := range pids {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
		time.Sleep(250 * time.Millisecond)
	}
	return fmt.Errorf("processes still alive: %v", nodeProcesses())
}

func nodeProcesses() []int {
	self := os.Getpid()
	seen := map[int]bool{}
	for _, dir := range kubepodsCgroupDirs() {
		_ = filepath.WalkDir(dir, func(path string, entry os.DirEntry, err error) error {
			if err != nil || entry.IsDir() || entry.Name() != "cgroup.procs" {
				return nil
			}
			data, _ := os.ReadFile(path)
			for _, field := range strings.Fields(string(data)) {
				if pid, err := strconv.Atoi(field); err == nil {
					seen[pid] = true
				}
			}
			return nil
		})
	}
	entries, _ := os.ReadDir("/proc")
	for _, entry := range entries {
		pid, err := strconv.Atoi(entry.Name())
		if err != nil || pid == self {
			continue
		}
		cmdline, err := os.ReadFile(filepath.Join("/proc", entry.Name(), "cmdline"))
		if err != nil {
			continue
		}
		text := strings.ReplaceAll(string(cmdline), "\x00", " ")
		if strings.Contains(text, stateRoot) || strings.Contains(text, dataRoot) {
			seen[pid] = true
		}
	}
	delete(seen, self)
	var pids []int
	for pid := range seen {
		pids = append(pids, pid)
	}
	sort.Ints(pids)
	return pids
}

// unmountNodeMounts detaches (lazily, deepest first) every mount under the node's directories and the
// kubelet's fixed root: pod volumes, container root filesystems, sandbox /dev/shm.
func unmountNodeMounts() error {
	prefixes := []string{stateRoot, dataRoot, kubeletFixedRoot, containerdFixedRun}
	var errs []error
	for _, target := range mountsUnder(prefixes) {
		if err := syscall.Unmount(target, syscall.MNT_DETACH); err != nil && !errors.Is(err, syscall.EINVAL) && !errors.Is(err, syscall.ENOENT) {
			errs = append(errs, fmt.Errorf("umount %s: %w", target, err))
		}
	}
	return errors.Join(errs...)
}

func mountsUnder(prefixes []string) []string {
	file, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		return nil
	}
	defer file.Close()
	var targets []string
	scanner := bufio.NewScanner(file)
	for scanner.Scan() {
		fields := strings.Fields(scanner.Text())
		if len(fields) < 5 {
			continue
		}
		target := unescapeMountPath(fields[4])
		for _, prefix := range prefixes {
			if target == prefix || strings.HasPrefix(target, prefix+"/") {
				targets = append(targets, target)
				break
			}
		}
	}
	// Deepest first: a parent cannot go before what is mounted inside it.
	sort.Slice(targets, func(i, j int) bool { return len(targets[i]) > len(targets[j]) })
	return targets
}

// unescapeMountPath undoes mountinfo's octal escapes (\040 for a space).
func unescapeMountPath(path string) string {
	if !strings.Contains(path, `\`) {
		return path
	}
	var out strings.Builder
	for i := 0; i < len(path); i++ {
		if path[i] == '\\' && i+3 < len(path) {
			if value, err := strconv.ParseUint(path[i+1:i+4], 8, 8); err == nil {
				out.WriteByte(byte(value))
				i += 3
				continue
			}
		}
		out.WriteByte(path[i])
	}
	return out.String()
}

// removePodNetns removes the network namespaces containerd's CNI created for sandboxes (cni-<uuid>).
// No other runtime runs on the test machines; the names are containerd's fixed pattern.
func removePodNetns() error {
	entries, err := os.ReadDir(netnsDir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	var errs []error
	for _, entry := range entries {
		if !strings.HasPrefix(entry.Name(), cniNetnsPrefix) {
			continue
		}
		path := filepath.Join(netnsDir, entry.Name())
		_ = syscall.Unmount(path, syscall.MNT_DETACH)
		if err := os.Remove(path); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// kubepodsCgroupDirs are the kubelet's pod cgroups in every hierarchy (cgroup v1 mounts one per
// controller; cgroup v2 has one).
func kubepodsCgroupDirs() []string {
	var dirs []string
	candidates, _ := filepath.Glob(filepath.Join(cgroupRoot, "*", kubepodsCgroup))
	dirs = append(dirs, candidates...)
	if _, err := os.Stat(filepath.Join(cgroupRoot, kubepodsCgroup)); err == nil {
		dirs = append(dirs, filepath.Join(cgroupRoot, kubepodsCgroup))
	}
	return dirs
}

// removeKubepodsCgroups removes the cgroup trees deepest first (a cgroup directory is removed with
// rmdir once it has no processes and no children).
func removeKubepodsCgroups() error {
	var errs []error
	for _, root := range kubepodsCgroupDirs() {
		var dirs []string
		_ = filepath.WalkDir(root, func(path string, entry os.DirEntry, err error) error {
			if err == nil && entry.IsDir() {
				dirs = append(dirs, path)
			}
			return nil
		})
		sort.Slice(dirs, func(i, j int) bool { return len(dirs[i]) > len(dirs[j]) })
		for _, dir := range dirs {
			var err error
			for attempt := 0; attempt < 10; attempt++ {
				if err = syscall.Rmdir(dir); err == nil || errors.Is(err, syscall.ENOENT) {
					err = nil
					break
				}
				time.Sleep(100 * time.Millisecond) // a killed process may take a moment to leave
			}
			if err != nil {
				errs = append(errs, fmt.Errorf("rmdir %s: %w", dir, err))
			}
		}
	}
	return errors.Join(errs...)
}

// removeContainerLogLinks removes the kubelet's links in /var/log/containers that point into the node's
// pod logs directory (the directory itself is the system's and stays).
func removeContainerLogLinks() error {
	entries, err := os.ReadDir(containerLogLinks)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	var errs []error
	for _, entry := range entries {
		path := filepath.Join(containerLogLinks, entry.Name())
		target, err := os.Readlink(path)
		if err != nil || !strings.HasPrefix(target, podLogsDir+"/") {
			continue
		}
		if err := os.Remove(path); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// removeNodeDirs removes the node's own directories, and the fixed ones only if the node created them.
func removeNodeDirs() error {
	var errs []error
	for _, dir := range []string{stateRoot, dataRoot} {
		if err := os.RemoveAll(dir); err != nil {
			errs = append(errs, err)
		}
	}
	for _, dir := range fixedDirs {
		marker := markerFor(dir)
		if _, err := os.Stat(marker); err != nil {
			continue
		}
		if err := os.RemoveAll(dir); err != nil {
			errs = append(errs, err)
		}
		errs = append(errs, removeIfExists(marker))
	}
	return errors.Join(errs...)
}

// fixedDirs are the directories at fixed paths that the node's parts create when missing.
var fixedDirs = []string{kubeletFixedRoot, containerdFixedRun, containerLogLinks, netnsDir}

// markerFor names the file that records "the node created this fixed directory". It lives beside the
// directory, in /run, so that it survives only as long as the boot.
func markerFor(dir string) string {
	return filepath.Join("/run", strings.ReplaceAll(strings.Trim(dir, "/"), "/", "_")+createdMarkerSuffix)
}

// markFixedDirs records which fixed directories do not exist yet, before the node's parts create them.
func markFixedDirs() error {
	for _, dir := range fixedDirs {
		if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
			if err := os.WriteFile(markerFor(dir), nil, 0o644); err != nil {
				return err
			}
		}
	}
	return nil
}

func removeIfExists(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}
