// Package pgtest runs a throwaway PostgreSQL server for tests: Debian's postgresql package
// (initdb and postgres under /usr/lib/postgresql/*/bin), a cluster in a temporary directory
// that listens on a Unix socket there and nowhere else, one cluster per test process, started
// on first use and stopped when the tests end, and a fresh database for each test.
//
// A package that uses it calls Main from its TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
//
// CAMPUSNEWS_TEST_POSTGRES=1 makes a missing PostgreSQL a failure (make test sets it);
// =0 skips the PostgreSQL tests; unset, they run when PostgreSQL is installed and are skipped
// with a note when it is not. CAMPUSNEWS_TEST_POSTGRES_BIN names the directory of initdb and
// postgres when they are elsewhere.
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"os/user"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// The process's one cluster, started by the first test that asks for a database.
var (
	inMain    atomic.Bool
	startOnce sync.Once
	srv       *server
	startErr  error
	startTime time.Duration

	adminMu sync.Mutex // the admin connection runs one statement at a time
	dbCount atomic.Int64

	templatesMu sync.Mutex
	templates   = map[string]error{} // template name → the error building it, nil when ready
)

// Main runs the tests and stops the cluster afterwards, also when the process is interrupted.
func Main(m *testing.M) int {
	inMain.Store(true)
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go func() {
		s := <-sig
		stop()
		fmt.Fprintf(os.Stderr, "pgtest: %v: stopped the test PostgreSQL\n", s)
		os.Exit(2)
	}()
	code := m.Run()
	signal.Stop(sig)
	stop()
	return code
}

// StartTime is how long starting the cluster took, zero before it started.
func StartTime() time.Duration { return startTime }

// BinDir is the directory holding PostgreSQL's programs (initdb, postgres, pg_dump), or an
// error saying why there is none.
func BinDir() (string, error) {
	if d := os.Getenv("CAMPUSNEWS_TEST_POSTGRES_BIN"); d != "" {
		if !isFile(filepath.Join(d, "initdb")) || !isFile(filepath.Join(d, "postgres")) {
			return "", fmt.Errorf("CAMPUSNEWS_TEST_POSTGRES_BIN=%s holds no initdb and postgres", d)
		}
		return d, nil
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	// The newest version first: 15 before 9.6.
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	for _, d := range dirs {
		if isFile(filepath.Join(d, "initdb")) && isFile(filepath.Join(d, "postgres")) {
			return d, nil
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			if d := filepath.Dir(real); isFile(filepath.Join(d, "postgres")) {
				return d, nil
			}
		}
	}
	return "", errors.New("PostgreSQL is not installed (no initdb and postgres under /usr/lib/postgresql/*/bin); " +
		"apt-get install postgresql, or run make test, which installs it")
}

func version(binDir string) float64 {
	v, _ := strconv.ParseFloat(filepath.Base(filepath.Dir(binDir)), 64)
	return v
}

func isFile(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && !fi.IsDir()
}

// URL creates an empty database for t and returns its postgres:// URL. The database is dropped
// when t ends. Without PostgreSQL, t is skipped (or fails, under CAMPUSNEWS_TEST_POSTGRES=1).
func URL(t testing.TB) string {
	t.Helper()
	s := cluster(t)
	name := fmt.Sprintf("t%d", dbCount.Add(1))
	if err := s.admin(fmt.Sprintf("CREATE DATABASE %s", name)); err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(func() { s.drop(t, name) })
	return s.url(name)
}

// Clone returns the URL of a new database for t copied from the template called name, which
// build fills once per process (for example by migrating it). Copying a template is much
// faster than building each database anew. build must close its connections before it returns.
func Clone(t testing.TB, name string, build func(url string) error) string {
	t.Helper()
	s := cluster(t)
	tpl := "tpl_" + name
	templatesMu.Lock()
	err, done := templates[tpl]
	if !done {
		err = s.buildTemplate(tpl, build)
		templates[tpl] = err
	}
	templatesMu.Unlock()
	if err != nil {
		t.Fatalf("pgtest: template %s: %v", name, err)
	}
	db := fmt.Sprintf("t%d", dbCount.Add(1))
	if err := s.admin(fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s", db, tpl)); err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(func() { s.drop(t, db) })
	return s.url(db)
}

// cluster is the running server, started on the first call; it skips or fails t when there
// is none.
func cluster(t testing.TB) *server {
	t.Helper()
	mode := os.Getenv("CAMPUSNEWS_TEST_POSTGRES")
	if mode == "0" {
		t.Skip("PostgreSQL tests off (CAMPUSNEWS_TEST_POSTGRES=0)")
	}
	if !inMain.Load() {
		t.Fatal("pgtest: the package's TestMain must run its tests through pgtest.Main, which stops the cluster")
	}
	startOnce.Do(func() {
		begin := time.Now()
		srv, startErr = start()
		startTime = time.Since(begin)
	})
	if startErr != nil {
		if mode == "1" {
			t.Fatalf("pgtest: CAMPUSNEWS_TEST_POSTGRES=1 but no PostgreSQL: %v", startErr)
		}
		t.Skipf("PostgreSQL tests skipped: %v", startErr)
	}
	return srv
}

// server is one running cluster.
type server struct {
	dir    string // the data directory's parent, also the socket's directory
	bin    string
	proc   *exec.Cmd
	exited chan struct{} // closed when the postmaster has exited
	conn   *pgx.Conn     // the admin connection to database postgres
}

func (s *server) url(db string) string {
	u := url.URL{Scheme: "postgres", User: url.User("postgres"), Path: "/" + db,
		RawQuery: "host=" + url.QueryEscape(s.dir)}
	return u.String()
}

// start makes and starts a cluster. Run as root, initdb and postgres run as the postgres user
// (or nobody): PostgreSQL refuses to run as root.
func start() (*server, error) {
	bin, err := BinDir()
	if err != nil {
		return nil, err
	}
	removeStale()
	dir, err := os.MkdirTemp("", "campusnews-pgtest-")
	if err != nil {
		return nil, err
	}
	s := &server{dir: dir, bin: bin}
	cred, err := s.owner()
	if err != nil {
		s.remove()
		return nil, err
	}
	data := filepath.Join(dir, "data")
	// No fsync, no locale: a cluster that lives for one test run.
	initdb := exec.Command(filepath.Join(bin, "initdb"), "-D", data, "-U", "postgres", "-A", "trust",
		"-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
	initdb.Dir = dir
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	if out, err := initdb.CombinedOutput(); err != nil {
		s.remove()
		return nil, fmt.Errorf("initdb: %v: %s", err, lastLines(string(out), 5))
	}
	if err := s.run(data, cred); err != nil {
		s.stop()
		return nil, err
	}
	return s, nil
}

// owner prepares dir for the user the cluster runs as: nil credentials (this process's user)
// unless this process is root.
func (s *server) owner() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		if u, err = user.Lookup("nobody"); err != nil {
			return nil, errors.New("running as root, and neither a postgres nor a nobody user to run PostgreSQL as")
		}
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if err := os.Chown(s.dir, uid, gid); err != nil {
		return nil, err
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), NoSetGroups: true}, nil
}

// run starts the postmaster as this process's child and waits until it accepts connections.
// The child gets SIGQUIT (immediate shutdown) should this process die without stopping it,
// for example when go test's -timeout ends it.
func (s *server) run(data string, cred *syscall.Credential) error {
	logf, err := os.Create(filepath.Join(s.dir, "postgres.log"))
	if err != nil {
		return err
	}
	defer logf.Close()
	if cred != nil {
		os.Chown(logf.Name(), int(cred.Uid), int(cred.Gid)) //nolint:errcheck // only its log
	}
	cmd := exec.Command(filepath.Join(s.bin, "postgres"), "-D", data, "-k", s.dir,
		"-c", "listen_addresses=", "-c", "fsync=off", "-c", "synchronous_commit=off",
		"-c", "full_page_writes=off", "-c", "max_connections=200", "-c", "shared_buffers=32MB",
		"-c", "log_min_messages=warning", "-c", "log_statement=none")
	cmd.Dir = s.dir
	cmd.Stdout, cmd.Stderr = logf, logf
	// Setpgid keeps a Ctrl-C on the terminal away from it: Main stops it in order.
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Pdeathsig: syscall.SIGQUIT, Setpgid: true}
	started := make(chan error, 1)
	s.exited = make(chan struct{})
	go func() {
		// The parent-death signal follows the thread that started the child: this one stays
		// locked and alive until the child exits.
		runtime.LockOSThread()
		if err := cmd.Start(); err != nil {
			started <- err
			close(s.exited)
			return
		}
		s.proc = cmd
		started <- nil
		cmd.Wait() //nolint:errcheck // an exit is what we wait for
		close(s.exited)
	}()
	if err := <-started; err != nil {
		return fmt.Errorf("start postgres: %w", err)
	}
	ctx := context.Background()
	deadline := time.Now().Add(30 * time.Second)
	for {
		conn, err := pgx.Connect(ctx, s.url("postgres"))
		if err == nil {
			s.conn = conn
			return nil
		}
		select {
		case <-s.exited:
			log, _ := os.ReadFile(filepath.Join(s.dir, "postgres.log"))
			return fmt.Errorf("postgres exited: %s", lastLines(string(log), 5))
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("postgres did not accept connections within 30 s: %v", err)
		}
	}
}

// admin runs one statement on the admin connection.
func (s *server) admin(sql string) error {
	adminMu.Lock()
	defer adminMu.Unlock()
	_, err := s.conn.Exec(context.Background(), sql)
	return err
}

// buildTemplate makes database tpl, lets build fill it and closes it to connections, so that
// it can be copied.
func (s *server) buildTemplate(tpl string, build func(url string) error) error {
	if err := s.admin("CREATE DATABASE " + tpl); err != nil {
		return err
	}
	if err := build(s.url(tpl)); err != nil {
		return err
	}
	// A connection build left open would make every copy fail.
	return s.admin(fmt.Sprintf("ALTER DATABASE %s ALLOW_CONNECTIONS false; "+
		"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '%s'", tpl, tpl))
}

// drop removes a test's database, ending connections the test left open.
func (s *server) drop(t testing.TB, db string) {
	if err := s.admin(fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", db)); err != nil {
		t.Errorf("pgtest: drop %s: %v", db, err)
	}
}

// stop ends the process's cluster, if it started, and removes its directory.
func stop() {
	if srv != nil {
		srv.stop()
	}
}

func (s *server) stop() {
	if s.conn != nil {
		s.conn.Close(context.Background()) //nolint:errcheck // the server goes next
	}
	if s.proc != nil && s.proc.Process != nil {
		// SIGINT is a fast shutdown: sessions end, nothing is flushed that we need.
		s.proc.Process.Signal(syscall.SIGINT) //nolint:errcheck // gone already is fine
		select {
		case <-s.exited:
		case <-time.After(10 * time.Second):
			s.proc.Process.Kill() //nolint:errcheck // last resort
			<-s.exited
		}
	}
	s.remove()
}

func (s *server) remove() { os.RemoveAll(s.dir) } //nolint:errcheck // a temporary directory

// removeStale deletes what clusters of dead test processes left (a process killed, or ended by
// go test's -timeout, stops its server through the parent-death signal but cannot remove
// its directory): directories over ten minutes old whose postmaster is not running.
func removeStale() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), "campusnews-pgtest-*"))
	for _, d := range dirs {
		fi, err := os.Stat(d)
		if err != nil || !fi.IsDir() || time.Since(fi.ModTime()) < 10*time.Minute {
			continue
		}
		if b, err := os.ReadFile(filepath.Join(d, "data", "postmaster.pid")); err == nil {
			pid, _ := strconv.Atoi(strings.TrimSpace(strings.SplitN(string(b), "\n", 2)[0]))
			if pid > 0 && syscall.Kill(pid, 0) != syscall.ESRCH {
				continue // still running
			}
		}
		os.RemoveAll(d) //nolint:errcheck // best effort
	}
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
