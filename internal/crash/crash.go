// Package crash stops the process at a named step, as a power cut would: the crash tests of
// the headless commands (TILL_CRASH_AT) use it to prove that what was recorded before a step
// is enough to recover.
package crash

// At returns a hook that kills the process when it is called with step; nil when step is
// empty, so production runs carry no hook.
func At(step string) func(string) {
	if step == "" {
		return nil
	}
	return func(name string) {
		if name == step {
			killSelf()
			select {} // the kill is not instant: never run past the step
		}
	}
}
