package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"campusnews/internal/accounts"
	"campusnews/internal/validate"
)

// announceFirstAdmin creates the first administrator of a site without accounts, with a random
// one-time password, and prints it once; there is never a default password. The address is
// email (--admin-email); without it, it is asked for when stdin is a terminal, and otherwise
// accounts.DefaultAdminEmail is used and the output says so. With accounts, it does nothing.
func announceFirstAdmin(ctx context.Context, users *accounts.Service, email string, stdin io.Reader, stdout io.Writer) error {
	f, ok := stdin.(*os.File)
	return firstAdmin(ctx, users, email, stdin, ok && term.IsTerminal(int(f.Fd())), stdout)
}

// firstAdmin is announceFirstAdmin with the question of whether stdin is a person answered.
func firstAdmin(ctx context.Context, users *accounts.Service, email string, stdin io.Reader, interactive bool, stdout io.Writer) error {
	if n, err := users.Count(ctx); err != nil || n > 0 {
		return err
	}
	email = strings.TrimSpace(email)
	var lines <-chan string
	if email == "" && interactive {
		lines = readLines(stdin)
	} else if email == "" {
		fmt.Fprintf(stdout, "\n  No --admin-email given and no terminal to ask on: the first administrator is %s.\n",
			accounts.DefaultAdminEmail)
	}
	for {
		if lines != nil {
			fmt.Fprintf(stdout, "\nE-mail address of the first administrator [%s]: ", accounts.DefaultAdminEmail)
			select {
			case <-ctx.Done():
				return ctx.Err()
			case line, ok := <-lines:
				if !ok { // end of input: the default, as without a terminal
					lines = nil
					fmt.Fprintln(stdout)
				}
				email = strings.TrimSpace(line)
			}
		}
		addr, password, created, err := users.Bootstrap(ctx, email)
		var ve validate.Errors
		switch {
		case errors.As(err, &ve) && lines != nil:
			fmt.Fprintf(stdout, "  %s. ", ve["email"])
			continue
		case errors.As(err, &ve):
			return fmt.Errorf("serve: --admin-email %q: %s", email, ve["email"])
		case err != nil || !created:
			return err
		}
		fmt.Fprintf(stdout, `
  First start: an administrator account was created.
    e-mail:   %s
    password: %s   (one-time: you must choose a new one at first login)
  Log in at /login. This password is shown only now.

`, addr, password)
		return nil
	}
}

// readLines sends the lines of r, without their line ends, until r ends.
func readLines(r io.Reader) <-chan string {
	ch := make(chan string)
	go func() {
		defer close(ch)
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			ch <- sc.Text()
		}
	}()
	return ch
}
