// Package ui draws the till with Fyne: the sale screen with the shop's catalogue and its keypad,
// the payment screen, the journal, and the manager's settings and catalogue. It only draws and
// forwards taps and keys: every decision is made by app/checkout, and every call that may block
// (storage, printer) runs off the UI goroutine.
package ui

import (
	"context"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"till/app/catalogue"
	"till/app/checkout"
	"till/app/config"
	tw "till/app/ui/internal/widget"
	"till/storage"
)

// Store is what the screens read from the till's database.
type Store interface {
	Departments(ctx context.Context) ([]checkout.Department, error)
	Categories(ctx context.Context) ([]checkout.Category, error)
	// Products lists the active products with their barcodes.
	Products(ctx context.Context) ([]checkout.Product, error)
	Journal(ctx context.Context, day time.Time) ([]checkout.JournalEntry, error)
	Totals(ctx context.Context, day time.Time) (checkout.DayTotals, error)
	PendingCount(ctx context.Context) (int, error)
	LoadSale(ctx context.Context, id string) (*checkout.Sale, error)
	CatalogueStore
	OperatorStore
}

// CatalogueStore is what the manager's catalogue screen edits; *storage.DB implements it.
type CatalogueStore interface {
	// AllProducts lists the products, the inactive ones too, with their barcodes.
	AllProducts(ctx context.Context) ([]checkout.Product, error)
	SaveProduct(ctx context.Context, p checkout.Product) error
	SetProductActive(ctx context.Context, id string, active bool) error
	SaveCategory(ctx context.Context, c checkout.Category) error
	SaveDepartment(ctx context.Context, d checkout.Department) error
	// CatalogueMeta says where the catalogue came from: the back office's is read-only here.
	CatalogueMeta(ctx context.Context) (storage.CatalogueMeta, error)
}

// Devices gives the cached configuration and turns a payment device of it, as the payment
// screen showed it, into the checkout's device with its terminal opened.
type Devices interface {
	Config(ctx context.Context) (*config.Document, error)
	DeviceFor(ctx context.Context, doc *config.Document, dev config.Device) (checkout.Device, error)
}

// retryEvery is how often the till asks the terminals again about payments whose outcome is
// unknown, while some are.
const retryEvery = 15 * time.Second

// Deps is what the UI needs from the rest of the till.
type Deps struct {
	Store     Store
	Devices   Devices       // nil: no terminals (cash only)
	Customers CustomerStore // nil: no invoices
	Configs   ConfigStore   // nil: no settings screen
	Sync      SyncLink      // nil: no back office
	// DB is the till's database, for the journal of any past day and the day's close (with
	// Devices' terminals and Checkout's printer for the Z); nil: today's journal only, no close.
	DB *storage.DB
	// Returns does refunds and voids from the journal; nil: none on this till (its printer
	// cannot print return documents).
	Returns *checkout.Returns
	// ConfigImportErr is a configuration file refused at start: shown to the manager, the
	// last good configuration stays in force.
	ConfigImportErr error
	Seller          checkout.Seller
	Checkout        *checkout.Checkout
	NewID           func() string
	Now             func() time.Time
	// Title is shown in the top bar until the configuration names the sales point and the
	// till, e.g. "Cassa · demo"; never the database's path.
	Title string
	// Demo marks a demo till (simulated devices, no configuration) with DEMO in the top bar.
	Demo bool
	// Headless: apply background results only in WaitIdle, on the caller's goroutine. For
	// fyne's test driver and screenshots, where fyne.Do runs on the calling goroutine. No
	// background retry loop runs: tests call RetryNow.
	Headless bool
}

// Till is the till's window content: one screen at a time.
type Till struct {
	deps     Deps
	win      fyne.Window
	register *checkout.Register
	bridge   bridge
	depts    []checkout.Department

	sale     *saleScreen
	payment  *paymentScreen
	journal  *journalScreen
	exchange *exchangeScreen
	prompt   *promptScreen
	customer *customerScreen
	settings *settingsScreen
	cat      *catalogueScreen
	current  screen

	// operator works the till now; hasOperators says the till has operators (else operator
	// is checkout.ImplicitOperator), known once opsKnown. pin is the open PIN pad, if any.
	operator               checkout.Operator
	hasOperators, opsKnown bool
	pin                    *pinPad

	// modals are the open dialogs, the topmost last: it takes the keyboard (modal.go).
	modals []*modal

	lastUsed map[string]time.Time // payment device → last use, for the terminal prompt
	check    *printCheck          // the open question about an uncertain receipt, if any

	// The current sale was saved as pending and its receipt did not print; printUnknown says
	// the receipt may have printed, so the sale must not be discarded or printed again blindly.
	savedPending, printUnknown bool

	// recovering is true until the start-up recovery has run: no payment starts before it.
	recovering bool
	// startNotes are what the cashier must know at start (a refused configuration file, what
	// the recovery found), shown together whichever arrives first.
	configNote, recoveryNote string

	// ctx lives as long as the till: Close cancels it, which stops the retry loop.
	ctx      context.Context
	stop     context.CancelFunc
	watchMu  sync.Mutex
	watching bool
	watchEnd chan struct{}   // closed when the retry loop has returned
	clockEnd <-chan struct{} // closed when the header's clock has stopped
	// ring shows what has the keyboard on the screen (dialogs have their own); focusEnd is
	// closed when the goroutine that follows the focus has stopped.
	ring     *focusRing
	focusEnd <-chan struct{}
}

// screen is one full-window view that also handles the keyboard.
type screen interface {
	content() fyne.CanvasObject
	typedRune(r rune)
	typedKey(k fyne.KeyName)
}

// New builds the till in win and loads the catalogue in the background.
func New(win fyne.Window, deps Deps) *Till {
	if deps.Now == nil {
		deps.Now = time.Now
	}
	t := &Till{deps: deps, win: win, register: checkout.NewRegister(deps.NewID, deps.Now)}
	t.ctx, t.stop = context.WithCancel(context.Background())
	t.bridge.manual = deps.Headless
	if deps.Configs != nil {
		t.settings = newSettingsScreen(t, deps.Configs, func() { t.loadTitle(); t.show(t.sale) }) // names may have changed
		t.cat = newCatalogueScreen(t, deps.Store, t.settings.open)
	}
	t.sale = newSaleScreen(t)
	t.payment = newPaymentScreen(t)
	t.journal = newJournalScreen(t)
	t.exchange = newExchangeScreen(t)
	t.prompt = newPromptScreen(t)
	t.lastUsed = map[string]time.Time{}
	if deps.Customers != nil {
		t.customer = newCustomerScreen(t, deps.Customers, t.payment.customerChosen, func() { t.show(t.payment) })
	}
	t.show(t.sale)
	// Keys typed with no field focused go to the dialog on top, or to the screen (keys.go).
	win.Canvas().SetOnTypedRune(t.typedRune)
	win.Canvas().SetOnTypedKey(func(k *fyne.KeyEvent) { t.typedKey(k.Name) })
	t.loadOperators()
	t.loadCatalogue()
	t.startRecovery()
	t.startHeader()
	if !deps.Headless { // tests call followFocus themselves
		t.focusEnd = t.watchFocus(t.ctx)
	}
	return t
}

func (t *Till) show(s screen) {
	t.current = s
	// A field of the screen left behind keeps the focus, and the keys typed next would go
	// to it, unseen: each screen starts with the keyboard on the screen itself.
	t.win.Canvas().Unfocus()
	t.ring = newFocusRing(t, tw.Capped(s.content(), t.room))
	t.win.SetContent(t.ring.root)
}

// ScreenSize is the size of the till's window as it is now (the whole screen, full screen):
// what the screens are laid out in. Before the window has a size, WindowSize.
func (t *Till) ScreenSize() fyne.Size {
	if s := t.win.Canvas().Size(); s.Width > 0 && s.Height > 0 {
		return s
	}
	return WindowSize
}

// room is the space the current screen has: the window less its own padding around the content.
func (t *Till) room() fyne.Size {
	room := t.ScreenSize()
	if t.win.Padded() {
		p := 2 * theme.Padding()
		room = room.SubtractWidthHeight(p, p)
	}
	return room
}

// CatalogueChanged reloads the catalogue after the back office sent a new one; the syncer calls
// it from its goroutine. The sale being rung up keeps its lines as they were rung.
func (t *Till) CatalogueChanged() { t.bridge.post(t.loadCatalogue) }

// loadCatalogue reads the departments and categories, then the products, off the UI goroutine.
// The products' search index is built there too: a shop's catalogue may hold tens of thousands
// of products, and the till must answer the cashier while it loads.
func (t *Till) loadCatalogue() {
	t.bridge.run(func() func() {
		ctx := context.Background()
		deps, err := t.deps.Store.Departments(ctx)
		if err != nil {
			return func() { t.sale.setMessage(errorText(err), true) }
		}
		cats, err := t.deps.Store.Categories(ctx)
		if err != nil {
			return func() { t.sale.setMessage(errorText(err), true) }
		}
		var used map[string]time.Time
		if u, ok := t.deps.Store.(interface {
			DevicesLastUsed(context.Context) (map[string]time.Time, error)
		}); ok {
			used, _ = u.DevicesLastUsed(ctx) // only an ordering hint: an error leaves the config order
		}
		return func() {
			for id, at := range used {
				if at.After(t.lastUsed[id]) {
					t.lastUsed[id] = at
				}
			}
			t.depts = deps
			t.sale.setDepartments()
			t.sale.products.setCategories(cats)
			if t.deps.ConfigImportErr != nil && t.configNote == "" {
				t.configNote = tr("config.import.failed", map[string]any{"Problem": ConfigErrorText(t.deps.ConfigImportErr)})
				t.showStartNotes()
			}
		}
	})
	t.bridge.run(func() func() {
		prods, err := t.deps.Store.Products(context.Background())
		if err != nil {
			return func() { t.sale.setMessage(errorText(err), true) }
		}
		x := catalogue.NewIndex(prods)
		return func() { t.sale.products.setIndex(x) }
	})
}

func (t *Till) department(id string) (checkout.Department, bool) {
	for _, d := range t.depts {
		if d.ID == id {
			return d, true
		}
	}
	return checkout.Department{}, false
}

// WaitIdle blocks until background work started by the UI has been applied to the screen.
func (t *Till) WaitIdle() { t.bridge.wait() }

// Register exposes the sale being rung up, for tests.
func (t *Till) Register() *checkout.Register { return t.register }
