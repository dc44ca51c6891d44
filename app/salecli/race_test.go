//go:build race

package salecli

// raceDetector: under the race detector every child till is several times slower, so the soak
// runs fewer sales by default there; scripts/test.sh runs it in full without the detector.
const raceDetector = true
