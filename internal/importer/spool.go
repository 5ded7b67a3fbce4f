package importer

import (
	"bufio"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"os"
)

// spool keeps the prepared posts in a temporary file between the pass that prepares them and
// the transaction that writes them: an export can be larger than memory, and the transaction
// should hold the database only for writing, not for cleaning text and storing images.
type spool struct {
	f   *os.File
	w   *bufio.Writer
	enc *gob.Encoder
	n   int64
}

func newSpool() (*spool, error) {
	f, err := os.CreateTemp("", "campusnews-import-*.gob")
	if err != nil {
		return nil, fmt.Errorf("importer: temporary file: %w", err)
	}
	w := bufio.NewWriterSize(f, 1<<16)
	return &spool{f: f, w: w, enc: gob.NewEncoder(w)}, nil
}

func (s *spool) put(p *prepared) error {
	if err := s.enc.Encode(p); err != nil {
		return fmt.Errorf("importer: keep post %d: %w", p.ID, err)
	}
	s.n++
	return nil
}

func (s *spool) flush() error {
	if err := s.w.Flush(); err != nil {
		return fmt.Errorf("importer: temporary file: %w", err)
	}
	return nil
}

// each reads the prepared posts back in order.
func (s *spool) each(fn func(*prepared) error) error {
	if _, err := s.f.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("importer: temporary file: %w", err)
	}
	dec := gob.NewDecoder(bufio.NewReaderSize(s.f, 1<<16))
	for {
		var p prepared
		err := dec.Decode(&p)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("importer: temporary file: %w", err)
		}
		if err := fn(&p); err != nil {
			return err
		}
	}
}

func (s *spool) remove() {
	s.f.Close()
	os.Remove(s.f.Name())
}
