//go:build ignore

// Peresources prints what scripts/check-packages.sh checks in a Windows executable: its machine,
// its subsystem and the types of the resources it carries, one "key value" a line:
//
//	machine amd64
//	subsystem gui
//	resource icon
//	resource group-icon
//	resource version
//	resource manifest
//
// Usage: go run scripts/peresources.go FILE.exe
package main

import (
	"debug/pe"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go run scripts/peresources.go FILE.exe")
		os.Exit(2)
	}
	if err := run(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "peresources:", err)
		os.Exit(1)
	}
}

// resourceTypes names the standard resource types (winuser.h RT_*) a packaged program has.
var resourceTypes = map[uint32]string{3: "icon", 14: "group-icon", 16: "version", 24: "manifest"}

func run(path string) error {
	f, err := pe.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	switch f.Machine {
	case pe.IMAGE_FILE_MACHINE_AMD64:
		fmt.Println("machine amd64")
	default:
		fmt.Printf("machine 0x%x\n", f.Machine)
	}
	var subsystem uint16
	switch h := f.OptionalHeader.(type) {
	case *pe.OptionalHeader64:
		subsystem = h.Subsystem
	case *pe.OptionalHeader32:
		subsystem = h.Subsystem
	}
	switch subsystem {
	case pe.IMAGE_SUBSYSTEM_WINDOWS_GUI:
		fmt.Println("subsystem gui")
	case pe.IMAGE_SUBSYSTEM_WINDOWS_CUI:
		fmt.Println("subsystem console")
	default:
		fmt.Printf("subsystem %d\n", subsystem)
	}
	s := f.Section(".rsrc")
	if s == nil {
		return nil
	}
	data, err := s.Data()
	if err != nil {
		return err
	}
	types, err := rootTypes(data)
	if err != nil {
		return err
	}
	for _, t := range types {
		if name, ok := resourceTypes[t]; ok {
			fmt.Println("resource", name)
		} else {
			fmt.Println("resource", t)
		}
	}
	return nil
}

// rootTypes reads the numeric entries of the resource tree's root directory, which are the
// resource types (IMAGE_RESOURCE_DIRECTORY, then 8-byte entries: named ones first).
func rootTypes(data []byte) ([]uint32, error) {
	if len(data) < 16 {
		return nil, errors.New("resource section too short")
	}
	named := int(binary.LittleEndian.Uint16(data[12:]))
	ids := int(binary.LittleEndian.Uint16(data[14:]))
	if len(data) < 16+8*(named+ids) {
		return nil, errors.New("resource directory truncated")
	}
	var types []uint32
	for i := named; i < named+ids; i++ {
		types = append(types, binary.LittleEndian.Uint32(data[16+8*i:]))
	}
	return types, nil
}
