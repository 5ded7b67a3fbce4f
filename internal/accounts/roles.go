package accounts

// Role is what a staff member may do. Each role includes everything of the roles below it.
type Role string

// The roles, from most to least powerful.
const (
	Admin  Role = "admin"  // manages accounts and settings, and everything an editor does
	Editor Role = "editor" // approves and publishes anyone's articles, manages categories
	Writer Role = "writer" // writes articles and submits them for review
)

// Roles lists every role, most powerful first, for menus.
var Roles = []Role{Admin, Editor, Writer}

// rank orders the roles; an unknown role ranks below every real one.
func (r Role) rank() int {
	switch r {
	case Admin:
		return 3
	case Editor:
		return 2
	case Writer:
		return 1
	}
	return 0
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r.rank() > 0 }

// AtLeast reports whether r includes the rights of min. An unknown role includes nothing,
// and nothing includes an unknown role.
func (r Role) AtLeast(min Role) bool { return r.Valid() && min.Valid() && r.rank() >= min.rank() }

// Label is the role's name as shown to people.
func (r Role) Label() string {
	switch r {
	case Admin:
		return "Administrator"
	case Editor:
		return "Editor"
	case Writer:
		return "Writer"
	}
	return string(r)
}
