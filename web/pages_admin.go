package web

import (
	"time"

	"campusnews/internal/validate"
)

// AdminHomePage is the overview of the admin area.
type AdminHomePage struct {
	Base
	Sections    int
	Categories  int
	Hidden      int
	Users       int
	ActiveUsers int
	Admins      int
	Articles    int64 // in every status
	ByStatus    []StatusCount
	Recent      []AuditRow
}

// CategoryRow is one line of the category table: a section or a category inside one.
type CategoryRow struct {
	ID        int64
	Name      string
	Slug      string
	Path      string
	IsSection bool
	Visible   bool  // the row's own switch
	Shown     bool  // readers see it: it and its section are visible
	Articles  int64 // for a section, the total of its categories
	First     bool  // first among its siblings: cannot move up
	Last      bool  // last among its siblings: cannot move down
}

// CategoryListPage is the category tree as a table.
type CategoryListPage struct {
	Base
	Rows []CategoryRow
}

// CategoryForm is what the category form edits.
type CategoryForm struct {
	Name        string
	Slug        string
	Description string
	ParentID    int64 // 0: a section
	Visible     bool
}

// ParentOption is a section a category may be placed in.
type ParentOption struct {
	ID     int64
	Name   string
	Hidden bool
}

// CategoryFormPage creates or edits a category.
type CategoryFormPage struct {
	Base
	ID        int64 // 0 when new
	Action    string
	Path      string // current public path, when editing
	Hidden    bool   // readers do not see it, when editing
	Form      CategoryForm
	Errors    validate.Errors
	ErrorList []FieldError
	Parents   []ParentOption
}

// CategoryDeletePage confirms deleting a category, offering to move its articles first.
type CategoryDeletePage struct {
	Base
	ID          int64
	Name        string
	Path        string
	Articles    int64
	Children    []string        // names of the categories inside a section
	Targets     []CategoryGroup // categories that may receive the articles, by section
	MoveTo      int64
	Holds       string // what stops a plain delete, when it holds articles
	Error       string // why the last attempt was refused, when not about a field
	MoveToError string // what is wrong with the chosen target, shown beside the field
}

// UserRow is a staff account in the user table.
type UserRow struct {
	ID         int64
	Email      string
	Name       string
	Role       string
	RoleLabel  string
	Active     bool
	TwoFactor  bool
	MustChange bool
	LastLogin  time.Time // in the site's time zone; zero when never
	Created    time.Time // in the site's time zone
}

// UserListPage lists every staff account.
type UserListPage struct {
	Base
	Users []UserRow
}

// RoleOption is a role in the role menu.
type RoleOption struct {
	Value string
	Label string
}

// UserForm is what the user forms edit. Passwords are never sent back to the browser.
type UserForm struct {
	Email        string
	Name         string
	Role         string
	Active       bool
	PasswordMode string // "generate" or "typed", when creating
}

// UserFormPage creates or edits an account.
type UserFormPage struct {
	Base
	ID        int64 // 0 when new
	Form      UserForm
	Errors    validate.Errors
	ErrorList []FieldError
	Roles     []RoleOption
	User      *UserRow // the account being edited
	Self      bool     // the admin is editing their own account
}

// UserPasswordPage shows a one-time password once, after creating an account or resetting
// its password.
type UserPasswordPage struct {
	Base
	ID       int64
	Name     string
	Email    string
	Password string
	Created  bool // a new account, rather than a reset
}

// SettingsPage edits the site settings.
type SettingsPage struct {
	Base
	Form      SettingsForm
	Errors    validate.Errors
	ErrorList []FieldError
	Zones     []string
}

// SettingsForm is what the settings form edits.
type SettingsForm struct {
	Name       string
	Tagline    string
	Footer     string
	Contact    string
	TimeZone   string
	Require2FA bool
}

// AuditRow is one entry of the audit log as shown.
type AuditRow struct {
	At          time.Time // in the site's time zone
	UserEmail   string
	Action      string // the code, as recorded and filtered by
	ActionLabel string // the code in plain words
	Subject     string // as recorded, such as "article 12"
	SubjectText string // what the subject is called now, such as the article's title
	SubjectURL  string // its page, when it still exists
	Detail      string
	IP          string
}

// FilterOption is a choice in a filter menu.
type FilterOption struct {
	Value    string
	Label    string
	Selected bool
}

// AuditPage is the audit log with its filters.
type AuditPage struct {
	Base
	Entries []AuditRow
	Total   int64
	Pager   Pager
	Query   string
	Groups  []FilterOption // action prefixes such as "article."
	Actions []FilterOption // every recorded action
	Users   []FilterOption
	Any     bool // a filter is set
}
