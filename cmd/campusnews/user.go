package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"text/tabwriter"

	"golang.org/x/term"
	"gorm.io/gorm"

	"campusnews/internal/accounts"
	"campusnews/internal/audit"
	"campusnews/internal/validate"
)

const userUsage = `Usage:
  campusnews user add --email E --name N --role admin|editor|writer [--must-change] [--data DIR]
  campusnews user passwd --email E [--must-change] [--data DIR]
  campusnews user list [--data DIR]
  campusnews user 2fa-off --email E [--data DIR]

The password is read from the terminal (asked twice, not shown) or from the first line of
standard input, e.g. echo "$PASSWORD" | campusnews user add ...

2fa-off turns off the two-factor login of an account whose authenticator app and recovery
codes are lost, and ends its sessions; the owner then logs in with the password alone. An
administrator can do the same for others on the user's page; this is the way back for an
administrator who is locked out.
`

// userCmd manages staff accounts from the command line: the way in before anyone can log in,
// and the way back when every administrator has lost their password.
func userCmd(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, userUsage)
		return errors.New("user: name an action: add, passwd, list or 2fa-off")
	}
	switch args[0] {
	case "add":
		return userAdd(ctx, args[1:], stdin, stdout, stderr)
	case "passwd":
		return userPasswd(ctx, args[1:], stdin, stdout, stderr)
	case "list":
		return userList(ctx, args[1:], stdout, stderr)
	case "2fa-off":
		return userTOTPOff(ctx, args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, userUsage)
		return nil
	default:
		fmt.Fprint(stderr, userUsage)
		return fmt.Errorf("user: unknown action %q", args[0])
	}
}

func userAdd(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs, cfg := flags("user add", stderr)
	email := fs.String("email", "", "e-mail address, used to log in")
	name := fs.String("name", "", "name as shown on the site")
	role := fs.String("role", "", "admin, editor or writer")
	mustChange := fs.Bool("must-change", false, "make the person choose a new password at first login")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("user add: unexpected argument %q", fs.Arg(0))
	}
	pw, err := readPassword(stdin, stderr)
	if err != nil {
		return err
	}
	return withDB(ctx, cfg, func(db *gorm.DB) error {
		u, err := accounts.NewService(db).Create(ctx, cliActor, accounts.NewUser{Email: *email, Name: *name,
			Role: accounts.Role(*role), Password: pw, MustChangePassword: *mustChange})
		if err != nil {
			return fieldProblems(stderr, "user add: account not created", err)
		}
		fmt.Fprintf(stdout, "created %s %s (%s), id %d\n", strings.ToLower(u.Role.Label()), u.Email, u.Name, u.ID)
		return nil
	})
}

func userPasswd(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs, cfg := flags("user passwd", stderr)
	email := fs.String("email", "", "e-mail address of the account")
	mustChange := fs.Bool("must-change", false, "make the person choose a new password at next login")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if strings.TrimSpace(*email) == "" {
		return errors.New("user passwd: --email is required")
	}
	return withDB(ctx, cfg, func(db *gorm.DB) error {
		svc := accounts.NewService(db)
		u, err := svc.ByEmail(ctx, *email)
		if errors.Is(err, accounts.ErrNotFound) {
			return fmt.Errorf("user passwd: no account with e-mail address %s", *email)
		} else if err != nil {
			return err
		}
		pw, err := readPassword(stdin, stderr)
		if err != nil {
			return err
		}
		if err := svc.SetPassword(ctx, cliActor, u.ID, pw, *mustChange); err != nil {
			return fieldProblems(stderr, "user passwd: password not changed", err)
		}
		fmt.Fprintf(stdout, "password changed for %s; the account's sessions have ended\n", u.Email)
		return nil
	})
}

// userTOTPOff turns off two-factor login for an account that can no longer produce a code.
func userTOTPOff(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, cfg := flags("user 2fa-off", stderr)
	email := fs.String("email", "", "e-mail address of the account")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("user 2fa-off: unexpected argument %q", fs.Arg(0))
	}
	if strings.TrimSpace(*email) == "" {
		return errors.New("user 2fa-off: --email is required")
	}
	return withDB(ctx, cfg, func(db *gorm.DB) error {
		svc := accounts.NewService(db)
		u, err := svc.ByEmail(ctx, *email)
		if errors.Is(err, accounts.ErrNotFound) {
			return fmt.Errorf("user 2fa-off: no account with e-mail address %s", *email)
		} else if err != nil {
			return err
		}
		if !u.TOTPEnabled {
			fmt.Fprintf(stdout, "two-factor login is already off for %s; nothing changed\n", u.Email)
			return nil
		}
		if err := svc.ResetTOTP(ctx, cliActor, u.ID); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "two-factor login turned off for %s; the account's sessions have ended\n", u.Email)
		return nil
	})
}

func userList(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, cfg := flags("user list", stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}
	return withDB(ctx, cfg, func(db *gorm.DB) error {
		us, err := accounts.NewService(db).List(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tE-MAIL\tNAME\tROLE\tACTIVE\t2FA\tLAST LOGIN")
		for _, u := range us {
			last := "never"
			if u.LastLoginAt != nil {
				last = u.LastLoginAt.UTC().Format("2006-01-02 15:04 UTC")
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", u.ID, u.Email, u.Name, u.Role,
				yesNo(u.Active), yesNo(u.TOTPEnabled), last)
		}
		return tw.Flush()
	})
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// fieldProblems prints validation errors one per line as "field: message" and returns a
// short error carrying summary; any other error passes through.
func fieldProblems(stderr io.Writer, summary string, err error) error {
	var ve validate.Errors
	if !errors.As(err, &ve) {
		return err
	}
	fields := make([]string, 0, len(ve))
	for f := range ve {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	for _, f := range fields {
		fmt.Fprintf(stderr, "  %s: %s\n", f, ve[f])
	}
	return errors.New(summary)
}

// readPassword asks twice without echo when stdin is a terminal, and otherwise reads the first
// line of stdin, so scripts can pipe a password in without it showing in the process list.
func readPassword(stdin io.Reader, stderr io.Writer) (string, error) {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return promptPassword(int(f.Fd()), stderr)
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("user: read password: %w", err)
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return "", errors.New("user: no password on standard input")
	}
	return pw, nil
}

func promptPassword(fd int, stderr io.Writer) (string, error) {
	fmt.Fprintf(stderr, "Password (at least %d characters): ", accounts.MinPasswordLen)
	first, err := term.ReadPassword(fd)
	fmt.Fprintln(stderr)
	if err != nil {
		return "", fmt.Errorf("user: read password: %w", err)
	}
	fmt.Fprint(stderr, "Repeat password: ")
	second, err := term.ReadPassword(fd)
	fmt.Fprintln(stderr)
	if err != nil {
		return "", fmt.Errorf("user: read password: %w", err)
	}
	if string(first) != string(second) {
		return "", errors.New("user: the passwords do not match")
	}
	return string(first), nil
}

// cliActor is who changes accounts from the command line, as the audit log records it:
// whoever runs the binary has the database itself, but the log still shows the change
// happened and how.
var cliActor = audit.Actor{Via: "command line"}
