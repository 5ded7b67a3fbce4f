// Package validate collects form field errors keyed by field name.
package validate

import (
	"fmt"
	"net/mail"
	"sort"
	"strings"
	"unicode/utf8"
)

// Errors maps a form field to the message shown beside it. It is an error so services can
// return it and handlers can re-render the form with it.
type Errors map[string]string

// Error lists the messages in field order.
func (e Errors) Error() string {
	keys := e.fields()
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ": " + e[k]
	}
	return "validate: " + strings.Join(parts, "; ")
}

// Messages returns the messages without their fields, in field order, for a summary where
// the fields are not shown.
func (e Errors) Messages() []string {
	keys := e.fields()
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = e[k]
	}
	return out
}

// fields returns the names of the fields with a message, sorted, so output does not depend
// on map order.
func (e Errors) fields() []string {
	keys := make([]string, 0, len(e))
	for k := range e {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Add records msg for field unless the field already has a message.
func (e Errors) Add(field, msg string) {
	if _, ok := e[field]; !ok {
		e[field] = msg
	}
}

// Required records an error when value is blank.
func (e Errors) Required(field, value, label string) {
	if strings.TrimSpace(value) == "" {
		e.Add(field, label+" is required")
	}
}

// MaxLen records an error when value has more than max characters.
func (e Errors) MaxLen(field, value string, max int, label string) {
	if utf8.RuneCountInString(value) > max {
		e.Add(field, fmt.Sprintf("%s must be at most %d characters", label, max))
	}
}

// Email records an error when value is not a plain e-mail address.
func (e Errors) Email(field, value string) {
	a, err := mail.ParseAddress(value)
	if err != nil || a.Address != value || !strings.Contains(value, ".") {
		e.Add(field, "Enter an e-mail address such as name@example.edu")
	}
}

// Err returns e as an error, or nil when it holds nothing.
func (e Errors) Err() error {
	if len(e) == 0 {
		return nil
	}
	return e
}
