//go:build !race

package salecli

const raceDetector = false
