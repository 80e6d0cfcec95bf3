package main

import (
	"context"
	"os"
	"time"
)

const parentPollInterval = 250 * time.Millisecond

// watchParent cancels when the process that started us goes away. A crashed Node.js test process
// cannot send SIGTERM and may have given us /dev/null as stdin, so neither a signal nor a closed
// stdin is a reliable sign; being re-parented (to init or a subreaper) is, whatever way the parent died.
// A process started directly under init has no parent to outlive, so it is not watched.
func watchParent(ctx context.Context, onParentGone func()) {
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
					onParentGone()
					return
				}
			}
		}
	}()
}
