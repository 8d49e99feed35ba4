package config

// OperationWarnings are what synth should say about how a valid stage is run: a production
// stage whose alarms tell nobody, and a login domain that identity providers and passkeys must
// follow. One line each, naming the setting; Warnings covers the rest.
func (c Config) OperationWarnings() []string {
	return append(c.alarmWarnings(), c.domainWarnings()...)
}
