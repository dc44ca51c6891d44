package portal

// The tests of this package (internal and portal_test) hash with fewer iterations: under the
// race detector 600,000 take about two seconds per login. TestPasswordHash checks the
// production strength separately.
func init() { passwordIterations = 1_000 }

// Rebind lets the tests write raw queries with ? for either database.
var Rebind = rebind
