package validate

import (
	"slices"
	"testing"
)

func TestErrorsMessagesAndError(t *testing.T) {
	tests := []struct {
		name     string
		errs     Errors
		messages []string
		text     string
	}{
		{"empty", Errors{}, []string{}, "validate: "},
		{"one", Errors{"title": "Title is required"}, []string{"Title is required"}, "validate: title: Title is required"},
		{"sorted by field", Errors{"slug": "Slug taken", "body": "Too long", "title": "Required"},
			[]string{"Too long", "Slug taken", "Required"}, "validate: body: Too long; slug: Slug taken; title: Required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.errs.Messages(); !slices.Equal(got, tt.messages) {
				t.Errorf("Messages() = %q, want %q", got, tt.messages)
			}
			if got := tt.errs.Error(); got != tt.text {
				t.Errorf("Error() = %q, want %q", got, tt.text)
			}
		})
	}
}
