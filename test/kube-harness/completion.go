package main

import "time"

// completion records that a component (the apiserver goroutine, the controller-manager process) has
// ended, so that several places can wait for it: the main loop, the readiness wait and the shutdown.
type completion struct {
	done chan struct{}
	err  error
}

func newCompletion() *completion { return &completion{done: make(chan struct{})} }

func (c *completion) finish(err error) {
	c.err = err
	close(c.done)
}

// wait reports whether the component ended within timeout.
func (c *completion) wait(timeout time.Duration) bool {
	select {
	case <-c.done:
		return true
	case <-time.After(timeout):
		return false
	}
}
