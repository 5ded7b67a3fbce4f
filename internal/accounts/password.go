package accounts

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"math/big"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"
)

// DefaultBcryptCost is the work factor of new password hashes: about a quarter of a second
// on a server, slow enough to make stolen hashes expensive to guess.
const DefaultBcryptCost = 12

// Password length limits, in characters.
const (
	MinPasswordLen = 12
	MaxPasswordLen = 256
)

// commonPasswords are long enough to pass the length rule yet among the first an attacker
// tries. Compared case-insensitively.
var commonPasswords = map[string]bool{
	"123456789012": true, "1234567890ab": true, "1234567890qw": true, "123456789abc": true,
	"1q2w3e4r5t6y": true, "1qaz2wsx3edc": true, "abc123abc123": true, "abcd1234abcd": true,
	"abcdefghijkl": true, "administrator": true, "campusnews123": true, "changeme1234": true,
	"iloveyou1234": true, "letmein12345": true, "passw0rd1234": true, "password1234": true,
	"password123!": true, "password12345": true, "passwordpassword": true, "qwerty123456": true,
	"qwertyuiop12": true, "qwertyuiop123": true, "qwertyuiopas": true, "welcome12345": true,
	"zaq12wsxcde3": true, "correcthorsebatterystaple": true,
}

// PasswordPolicy returns "" when pw is acceptable, else the message to show beside the field.
func PasswordPolicy(pw string) string {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinPasswordLen:
		return "Use at least 12 characters"
	case n > MaxPasswordLen:
		return "Use at most 256 characters"
	case strings.Count(pw, string([]rune(pw)[:1])) == n:
		return "Use more than one repeated character"
	case commonPasswords[strings.ToLower(pw)]:
		return "This password is too common; choose another"
	}
	return ""
}

// bcryptInput is what bcrypt hashes for pw. bcrypt reads at most 72 bytes, and the Go package
// refuses more, so a longer password is first reduced to its SHA-256 digest: every character
// then counts. Short passwords go in unchanged, so their hashes stay plain bcrypt.
func bcryptInput(pw string) []byte {
	if len(pw) <= 72 {
		return []byte(pw)
	}
	sum := sha256.Sum256([]byte(pw))
	return []byte(base64.RawStdEncoding.EncodeToString(sum[:]))
}

// hashPassword returns the bcrypt hash of pw at cost.
func hashPassword(pw string, cost int) (string, error) {
	h, err := bcrypt.GenerateFromPassword(bcryptInput(pw), cost)
	if err != nil {
		return "", err
	}
	return string(h), nil
}

// passwordMatches reports whether pw is the password hashed in hash.
func passwordMatches(hash, pw string) bool {
	return bcrypt.CompareHashAndPassword([]byte(hash), bcryptInput(pw)) == nil
}

// unambiguous leaves out characters people confuse when copying: 0 O o 1 l I.
const unambiguous = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// oneTimeLen is the length of a one-time password: about 116 bits from unambiguous.
const oneTimeLen = 20

// OneTimePassword returns a random password, from crypto/rand and without characters people
// confuse, for an account whose owner must replace it at first login.
func OneTimePassword() (string, error) {
	pw, err := randomString(unambiguous, oneTimeLen)
	if err != nil {
		return "", fmt.Errorf("accounts: one-time password: %w", err)
	}
	return pw, nil
}

// randomString returns n characters drawn uniformly from alphabet with crypto/rand.
func randomString(alphabet string, n int) (string, error) {
	max := big.NewInt(int64(len(alphabet)))
	b := make([]byte, n)
	for i := range b {
		k, err := rand.Int(rand.Reader, max)
		if err != nil {
			return "", err
		}
		b[i] = alphabet[k.Int64()]
	}
	return string(b), nil
}
