package accounts

// Observer learns of failed sign-in attempts after they are recorded, for metrics, so that
// this package knows nothing of them. factor is "password" or "code" (second factor). Its
// methods must be quick and safe for concurrent use.
type Observer interface {
	// LoginFailed: a wrong address, password or code, recorded as login.failed.
	LoginFailed(factor string)
	// LoginThrottled: an attempt refused unchecked because a lockout was in force.
	LoginThrottled(factor string)
	// LockoutStarted: an attempt reached a limit, recorded once as login.throttled.
	LockoutStarted(factor string)
}

// SetObserver makes the Service tell o of failed and refused attempts and of lockouts. Call it
// before the Service is in use.
func (s *Service) SetObserver(o Observer) { s.observer = o }

// observeFailure tells the observer of a's failure, committed, and of the lockouts it started.
func (s *Service) observeFailure(a *attempt) {
	if s.observer == nil {
		return
	}
	s.observer.LoginFailed(a.kind)
	for range a.lockouts {
		s.observer.LockoutStarted(a.kind)
	}
}
