package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"time"
)

const parentPollInterval = 250 * time.Millisecond

// child is a long-running part of the node (containerd, the harness, a component).
type child struct {
	name string
	cmd  *exec.Cmd
	done chan struct{}
	err  error
}

// startChild starts a part whose output goes, line by line and prefixed with its name, to logFile. The
// kernel kills it (SIGKILL) if the thread that forked it ends, so that thread stays pinned for the
// child's whole life: a supervisor that is itself killed takes its children with it.
func startChild(name string, logFile io.Writer, stdout io.Writer, path string, args ...string) (*child, error) {
	c := &child{name: name, cmd: exec.Command(path, args...), done: make(chan struct{})}
	c.cmd.Stderr = prefixed(name, logFile)
	c.cmd.Stdout = c.cmd.Stderr
	if stdout != nil {
		c.cmd.Stdout = stdout
	}
	c.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	started := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		if err := c.cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		c.err = c.cmd.Wait()
		close(c.done)
	}()
	if err := <-started; err != nil {
		return nil, fmt.Errorf("start %s (%s): %w", name, path, err)
	}
	return c, nil
}

func (c *child) exited() bool {
	select {
	case <-c.done:
		return true
	default:
		return false
	}
}

// stop asks the child to terminate and kills it if it does not within grace.
func (c *child) stop(grace time.Duration) {
	if c.exited() {
		return
	}
	_ = c.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-c.done:
	case <-time.After(grace):
		_ = c.cmd.Process.Kill()
		<-c.done
	}
}

// prefixed writes each line as "[name] line", so one log file can hold every part's output.
func prefixed(name string, out io.Writer) io.Writer {
	reader, writer := io.Pipe()
	var mu sync.Mutex
	go func() {
		scanner := bufio.NewScanner(reader)
		scanner.Buffer(make([]byte, 64*1024), 1024*1024)
		for scanner.Scan() {
			mu.Lock()
			fmt.Fprintf(out, "[%s] %s\n", name, scanner.Text())
			mu.Unlock()
		}
		_, _ = io.Copy(io.Discard, reader)
	}()
	return writer
}

// run runs a short command and returns its combined output, for the clean-up and the setup steps.
func run(path string, args ...string) (string, error) {
	out, err := exec.Command(path, args...).CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("%s %s: %w: %s", path, strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	return string(out), nil
}

// watchParent calls onGone when the process that started us goes away (re-parented to init or a
// subreaper), whatever way it died.
func watchParent(ctx context.Context, onGone func()) {
	original := os.Getppid()
	if original <= 1 {
		return
	}
	go func() {
		ticker := time.NewTicker(parentPollInterval)
		defer ticker.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-ticker.C:
				if os.Getppid() != original {
					onGone()
					return
				}
			}
		}
	}()
}
