package main

import (
	"bufio"
	"io"
	"sync"
	"time"
)

// bufferedLog batches log lines and writes them every interval, so a request's log line
// costs a copy, not a system call. At most one interval of lines is lost on a crash.
type bufferedLog struct {
	mu   sync.Mutex
	w    *bufio.Writer
	done chan struct{}
	wg   sync.WaitGroup
}

func newBufferedLog(w io.Writer, interval time.Duration) *bufferedLog {
	b := &bufferedLog{w: bufio.NewWriterSize(w, 64<<10), done: make(chan struct{})}
	b.wg.Add(1)
	go func() {
		defer b.wg.Done()
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				b.Flush()
			case <-b.done:
				b.Flush()
				return
			}
		}
	}()
	return b
}

func (b *bufferedLog) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.w.Write(p)
}

// Flush writes what is buffered.
func (b *bufferedLog) Flush() {
	b.mu.Lock()
	b.w.Flush() //nolint:errcheck // nowhere left to report a failing log
	b.mu.Unlock()
}

// Close stops the flusher after a last flush.
func (b *bufferedLog) Close() {
	close(b.done)
	b.wg.Wait()
}
