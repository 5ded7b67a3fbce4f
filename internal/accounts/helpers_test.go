package accounts

import (
	"context"
	"errors"
	"os"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"campusnews/internal/audit"
	"campusnews/internal/database/dbtest"
	"campusnews/internal/database/pgtest"
	"campusnews/internal/validate"
)

// The tests run on the engine dbtest.Engine names; PostgreSQL's cluster stops when they end.
func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// adminActor is who makes the administrative changes of the tests.
var adminActor = audit.Actor{Email: "root@example.edu", IP: "192.0.2.250"}

// from is an anonymous client at ip, as the login form's actor is.
func from(ip string) audit.Actor { return audit.Actor{IP: ip} }

// testClock is a clock the test moves by hand.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// newTestService opens a fresh migrated database and returns a fast-hashing Service on it
// with a hand-moved clock.
func newTestService(t *testing.T) (*Service, *testClock) {
	t.Helper()
	db := dbtest.Open(t, dbtest.Engine())
	clk := &testClock{t: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)}
	s := NewService(db)
	s.SetBcryptCost(bcrypt.MinCost)
	s.SetClock(clk.now)
	return s, clk
}

const testPassword = "correct-staple-42"

// mustCreate creates an account with testPassword or fails the test.
func mustCreate(t *testing.T, s *Service, email, name string, role Role) *User {
	t.Helper()
	u, err := s.Create(context.Background(), adminActor, NewUser{Email: email, Name: name, Role: role, Password: testPassword})
	if err != nil {
		t.Fatalf("create %s: %v", email, err)
	}
	return u
}

// fieldErrors returns err as validate.Errors or fails the test.
func fieldErrors(t *testing.T, err error) validate.Errors {
	t.Helper()
	var ve validate.Errors
	if !errors.As(err, &ve) {
		t.Fatalf("want validate.Errors, got %v", err)
	}
	return ve
}

// sessionVersion reads the stored session version of id.
func sessionVersion(t *testing.T, s *Service, id int64) int64 {
	t.Helper()
	u, err := s.ByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return u.SessionVersion
}
