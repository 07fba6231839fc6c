app-name = Хаттама
app-tagline = Сот отырысын дыбыс-бейнежазба және қысқаша хаттама
error-label = Қате
details-label = Толығырақ
starting = Іске қосылуда…
court-not-set = Сот пен зал әлі көрсетілмеген (Баптаулар)
court-and-hall = { $court }, { $hall } зал
data-folder = Деректер қалтасы: { $path }
database-ready = Дерекқор дайын (сұлба нұсқасы { $schema })
recovered-parts = { $count ->
   *[other] Қалпына келтірілген үзілген бөліктер: { $count }
}
inputs-found = Кірістер: { $inputs }

## Баптаулар
config-read-failed = { $path } баптаулар файлын оқу мүмкін емес
config-write-failed = { $path } баптаулар файлын сақтау мүмкін емес
config-invalid = { $path } баптаулар файлында «{ $key }» мәні қате
config-io-help = Файлдың бар екенін және осы пайдаланушы оны оқи және жаза алатынын тексеріңіз.
config-invalid-help = Осы кілтті түзетіңіз немесе өшіріңіз (әр кілттің әдепкі мәні бар), содан кейін «Хаттама» бағдарламасын қайта іске қосыңыз.

## Деректер және дерекқор
data-folder-failed = { $path } деректер қалтасын жасау мүмкін емес
data-folder-help = Деректер қалтасы жазуға болатын, бос орны бар дискіде екенін тексеріңіз немесе --data арқылы басқасын таңдаңыз.
data-folder-read-only = { $path } деректер қалтасына жазу мүмкін емес
database-open-failed = { $path } дерекқорын ашу мүмкін емес
database-open-help = Файл өзгеріссіз қалдырылды. Оны сақтық көшірмеден қалпына келтіріңіз немесе басқа жерге жылжытыңыз; «Хаттама» бағдарламасы сот жазбаларын ешқашан өшірмейді.
database-too-new = { $path } дерекқорын «Хаттама» бағдарламасының жаңа нұсқасы жазған (сұлба { $found }, бұл нұсқа { $known } дейін біледі)
database-too-new-help = «Хаттама» бағдарламасының жаңа нұсқасын орнатыңыз; бұл нұсқа файлды өзгертпейді.
database-migration-failed = Дерекқорды { $version } сұлба нұсқасына жаңарту мүмкін емес
database-failed = Дерекқор қате туралы хабарлады
database-failed-help = Ештеңе өзгертілген жоқ. Дискіні тексеріп, қайталаңыз; қате қайталанса, толығырақ мәліметті хабарлаңыз.
part-folder-failed = { $path } жазба қалтасын жасау мүмкін емес

## Дыбыс-бейнежазба
demo-requested = Сұралғандай, демо кірістер жазылуда.
demo-no-camera = Камера табылмады: оның орнына демо сурет жазылуда.
demo-no-microphone = Микрофон табылмады: оның орнына демо дыбыс жазылуда.
demo-camera = Демо камера
demo-microphone = Демо микрофон
demo-remote = Демо қашықтағы қатысушы (БКБ)
demo-overlay = ДЕМО
track-video = Бейне
track-mix = Барлық кірістердің қосындысы
recorder-unavailable = Бұл компьютерде жазу мүмкін емес
recorder-start-failed = Жазуды бастау мүмкін болмады
recorder-start-help = Құрылғылардың қосулы екенін және оларды басқа бағдарлама пайдаланбайтынын тексеріп, қайталаңыз.
install-package-help = { $package } Debian пакетін орнатыңыз (make run оны орнатады), содан кейін «Хаттама» бағдарламасын қайта іске қосыңыз.
profile-invalid = { $origin } кодтау профилі жарамсыз
profile-invalid-help = Профиль файлын түзетіңіз немесе өшіріңіз; кіріктірілген профильдер әрқашан жұмыс істейді.
profile-unknown = «{ $name }» атты кодтау профилі жоқ
profile-unknown-help = Белгілі профильдер: { $known }.
device-not-found = «{ $name }» құрылғысы қосылмаған
device-not-found-help = Оны қосыңыз немесе баптауларда басқасын таңдаңыз. Қазір қосылғандар: { $available }.
no-devices = Камера да, микрофон да жоқ
no-devices-help = Камера мен микрофонды қосыңыз немесе баптауларда демо кірістерге рұқсат етіңіз.
input-failed = «{ $input }» кірісі істен шықты
input-failed-help = Жазылғаны сақталды. Құрылғының кабелі мен қуатын тексеріңіз.
recording-failed = Жазу істен шықты
recording-write-failed = Жазбаны дискіге жазу мүмкін емес
recording-write-failed-help = Жазылғаны сақталды. Дискіні және деректер қалтасының рұқсаттарын тексеріңіз.
disk-full = Диск толы
disk-full-help = Жазылғаны сақталды. Қайта жазбас бұрын дискіде орын босатыңыз (немесе ескі жазбаларды серверге көшіріңіз).
stop-timeout = Жазу уақытында аяқталмады
repair-failed = Үзілген жазбаны қалпына келтіру мүмкін болмады
kept-help = Файл сол күйінде сақталды; көп ойнатқыштар оны үзілген жеріне дейін ойнатады.

## Командалық жол
record-started = { $folder } қалтасына жазылуда
record-elapsed = Жазылуда
recover-nothing = Үзілген бөліктер жоқ.
recover-done = Қалпына келтірілді: { $folder } ({ $seconds } с)
recover-failed = { $folder } қалпына келтірілмеді: { $error } (файл сақталды)
devices-none = Камералар мен микрофондар табылмады.
device-camera = камера
device-microphone = микрофон
cli-about = Сот отырысын уақыт белгілері бар қысқаша хаттамамен жазу. Командасыз терезені ашады.
cli--config = Баптаулар файлы (әдепкі: пайдаланушының баптаулар қалтасы)
cli--data = Дерекқор мен жазбаларға арналған деректер қалтасы (әдепкі: пайдаланушының деректер қалтасы)
cli--session = Іске қосылғанда осы отырыстың экранын ашу (оның нөмірі)
cli--review = Іске қосылғанда дискіні, диск бейнесін (.iso) немесе қалтаны қарауды ашу
cli-record = Сот отырысының бөлігін жазып, оның қалтасын шығару
cli-record-demo = Бапталған құрылғылардың орнына демо кірістерді жазу
cli-record-cameras = Демо камералар саны (--demo-мен; бір суретте қатар)
cli-record-microphones = Демо микрофондар саны (--demo-мен; әрқайсысы өз жолында)
cli-record-seconds = Осынша секундтан кейін тоқтату (әйтпесе Ctrl+C немесе SIGTERM бойынша)
cli-record-case = Сот отырысы жататын іс нөмірі
cli-record-profile = Кодтау профилі (әдепкі: баптаулардан)
cli-record-json = Бөлікті сипаттайтын бір JSON нысанын шығару
cli-devices = Табылған камералар мен микрофондарды көрсету
cli-devices-json = JSON шығару
cli-recover = Іркіліс немесе қуат өшуі салдарынан үзілген барлық бөліктерді аяқтау
cli-recover-json = JSON шығару
cli-verify = Қол қойылған жазбаларды тексеру: әр файлдың SHA-256, қолтаңба, хаттаманың хеш тізбегі
cli-verify-path = Бөлік қалтасы, көп бөлік қалтасы немесе қосылған диск
cli-verify-centres = Соттың CMS қолтаңбасын тексеретін куәландырушы орталықтың сертификаты (PEM), осы компьютердікінің орнына; қайталауға болады
cli-verify-trust = Сенімді ашық кілттер (minisign .pub файлдары қатарынан; әдепкі — осы компьютердікі)
cli-verify-json = JSON шығару
cli-check = Жабдықты күнделікті тексеру: камералар, микрофондар, диск, қолтаңба кілті, серверлер (сақталады; қадам өтпесе, сәтсіз)
cli-check-by = Тексеруді кім жүргізеді (әдепкі бойынша — баптаулардағы оператор)
cli-check-html = Тексеруді басып шығаруға арналған бет ретінде де жазу (HTML)
cli-check-json = JSON шығару
verify-nothing = { $path } ішінде қол қойылған жазба (manifest.json) жоқ.
verify-ok = Тексерілді: { $count } бөлік, барлық тексеру сәтті.
verify-failed = РАСТАЛМАДЫ: { $count } бөлікте қате бар (жоғарыдағы FAILED қараңыз).
cli-bench-seal = Осындай ұзындықтағы бөлік үшін тоқтатудан қолтаңбаға дейінгі уақытты өлшеу (өлшем)
cli-bench-seal-minutes = Бөліктің ұзындығы, минут
cli-bench-review = Бөлікті ашудан бірінші кадрға дейінгі және жазбаны басудан оның кадрына дейінгі уақытты өлшеу (өлшем)
cli-bench-review-part = Бөліктің қалтасы
cli-bench-review-seeks = Қанша сәтке өту керек
cli-bench-review-opens = Содан кейін бөлікті осынша рет ашу, тоқтап қалған ашуларды санау
cli-bench-stream = Судьяның ұзын бөлікті сот серверінен қарауын өлшеу (өлшем)
cli-bench-stream-long = Мұндағы соңғы бөлікке берілетін жазба файлдарының қалтасы
cli-bench-stream-root = Сот серверінің префиксі, оның S3 сервері қызмет ететін қалта ретінде
cli-bench-stream-seeks = Қанша сәтке өту керек
cli-bench-entries = Жазба кезінде хаттама жазбасы қанша уақытта сақталатынын өлшеу (өлшем)
cli-bench-entries-interval_ms = Жазбалар арасындағы миллисекунд
cli-bench-entries-count = Қанша жазба жазу керек
cli-bench-entries-say = Әр жазбаны қойма қабылдаған сәтте басып шығару (қуат үзілісі сынақтары)

## Сот отырысы, қатысушылар, хаттама
category-civil = Азаматтық
category-criminal = Қылмыстық
category-administrative = Әкімшілік
role-plaintiff = Талапкер
role-defendant = Жауапкер
role-accused = Сотталушы
role-victim = Жәбірленуші
role-prosecutor = Прокурор
role-lawyer = Адвокат
role-representative = Өкіл
role-third-party = Үшінші тұлға
role-witness = Куә
role-expert = Сарапшы
role-specialist = Маман
role-interpreter = Аудармашы
role-other = Басқа қатысушы
instance-first = Бірінші саты
instance-appellate = Апелляциялық саты
instance-cassation = Кассациялық саты
instance-supervisory = Қадағалау сатысы
kind-note = Жазба
kind-session-opened = Отырыс ашылды
kind-attendance = Келу
kind-remote-identity = БКБ арқылы жеке басы анықталды
kind-rights-explained = Құқықтар түсіндірілді
kind-petition-filed = Өтінішхат мәлімделді
kind-petition-decided = Өтінішхат шешілді
kind-witness-questioned = Куәдан жауап алынды
kind-expert-heard = Сарапшы тыңдалды
kind-recess = Үзіліс
kind-resumed = Жалғастырылды
kind-decision-announced = Шешім жарияланды
kind-addendum = Толықтыру (түзету)
kind-session-closed = Отырыс жабылды
entry-session-opened = Төрағалық етуші сот отырысын ашты.
entry-attendance = Процеске қатысушылардың келуі тексерілді.
entry-remote-identity = Төрағалық етуші { $name } ({ $role }) жеке басын оның тұрған жері бойынша — { $location } — және бейнеконференцбайланыс арқылы қашықтан қатысу фактісін анықтады.
entry-remote-identity-unnamed = Төрағалық етуші процеске қатысушының жеке басын оның тұрған жері бойынша және бейнеконференцбайланыс арқылы қашықтан қатысу фактісін анықтады.
entry-rights-explained = Процеске қатысушыларға олардың іс жүргізу құқықтары мен міндеттері түсіндірілді.
entry-petition-filed = Өтінішхат мәлімделді.
entry-petition-decided = Сот өтінішхатты шешті.
entry-witness-questioned = Куәдан жауап алынды.
entry-witness-questioned-named = Куә { $name } жауап берді.
entry-expert-heard = Сарапшы тыңдалды.
entry-expert-heard-named = Сарапшы { $name } тыңдалды.
entry-recess = Үзіліс жарияланды.
entry-resumed = Сот отырысы жалғастырылды.
entry-decision-announced = Шешім жарияланды.
entry-session-closed = Төрағалық етуші сот отырысын жапты.
session-closed-error = Бұл сот отырысы жабылған
session-closed-error-help = Жабылған отырысты жазуға да, толықтыруға да болмайды. Іс бойынша жаңа отырыс ашыңыз.
entry-sealed-error = Жазба мөрленген, оны өзгертуге болмайды
entry-sealed-error-help = Түзетуді толықтыру ретінде жазыңыз.

## Пішімдер (chrono үлгілері)
date-format = %d.%m.%Y
time-format = %H:%M:%S
date-time-format = %d.%m.%Y %H:%M

## Терезе: алғашқы баптау және баптаулар
setup-title = Жұмыс орнын баптау
setup-intro = «Хаттама» бағдарламасы жазба қай жерде жүретінін білуі керек. Мұның бәрін кейін баптауларда өзгертуге болады.
settings-title = Баптаулар
field-court-name = Сот
field-court-name-placeholder = Соттың толық атауы
field-hall = Сот отырысы залының нөмірі
field-instance = Саты
field-language = Интерфейс тілі
language-system = Жүйедегідей
language-kk = Қазақша
language-ru = Русский
language-en = English
field-operator = Сіздің атыңыз (сот отырысының хатшысы)
field-utc-offset = Уақыт белдеуі (UTC-тен ауытқу, мысалы +05:00)
field-profile = Жазба сапасы
field-cameras = Камера
field-microphones = Микрофон
field-remote-audio = Қашықтан қатысушылардың дыбысы (БКБ)
devices-all = Табылғанның бәрі
devices-none-chosen = Жоқ
field-demo = Камера немесе микрофон табылмаса, демо көздерді жазу
setup-save = Жұмысты бастау
settings-save = Сақтау
settings-back = Артқа
setup-missing = Сот пен зал нөмірін көрсетіңіз.
settings-offset-invalid = Уақыт белдеуі +05:00 түрінде жазылады.
settings-saved = Баптаулар сақталды.
settings-devices-note = Қазір табылған құрылғылар: { $count }. Өзгерістер келесі жазбадан бастап қолданылады.

## Терезе: сот отырыстары
sessions-title = Сот отырыстары
sessions-search = Іс нөмірі немесе аты бойынша іздеу
sessions-new = Жаңа отырыс
sessions-settings = Баптаулар
sessions-empty = Әзірге отырыс жоқ. Біріншісін «Жаңа отырыс» батырмасымен ашыңыз.
sessions-none-found = «{ $query }» сұрауы бойынша отырыс табылмады.
sessions-today = Бүгін
sessions-earlier = Бұрынырақ
session-open = Ашық
session-closed = Жабық
session-parts = { $count } бөлік
session-judge = Судья { $name }
session-remote = БКБ

## Терезе: жаңа отырыс
new-session-title = Жаңа сот отырысы
field-case-number = Іс нөмірі
field-case-number-placeholder = мысалы 2-1234/2026
field-category = Санаты
field-judge = Төрағалық етуші судья
field-secretary = Сот отырысының хатшысы
participants-title = Процеске қатысушылар
participant-name = Тегі, аты, әкесінің аты
participant-role = Процестік жағдайы
participant-remote = Бейнеконференцбайланыс арқылы
participant-location = Қайдан (сот, мекеме, мекенжай)
participant-add = Қатысушы қосу
participant-remove = Алып тастау
new-session-create = Отырысты ашу
new-session-cancel = Болдырмау
new-session-missing-case = Іс нөмірін көрсетіңіз.
new-session-missing-judge = Төрағалық етуші судьяны көрсетіңіз.
new-session-missing-name = Әр қатысушының аты болуы керек.
new-session-missing-location = { $name } қайдан қатысатынын көрсетіңіз.

## Терезе: сот отырысы
indicator-recording = ● ЖАЗБА ЖҮРІП ЖАТЫР
indicator-starting = ЖАЗБА ІСКЕ ҚОСЫЛУДА…
indicator-stopping = ЖАЗБА АЯҚТАЛУДА…
indicator-idle = ЖАЗБА ЖҮРІП ЖАТҚАН ЖОҚ
indicator-recess = ҮЗІЛІС — ЖАЗБА ЖҮРМЕЙДІ
indicator-closed = ОТЫРЫС ЖАБЫЛДЫ
record-button = Жазу
record-key = Ctrl+R
stop-button = Тоқтату
recess-button = Үзіліс
resume-button = Жалғастыру
elapsed-part = { $part }-бөлік
back-to-sessions = Отырыстар
input-remote-label = { $name } — қашықтан қатысушы (БКБ)
demo-inputs-warning = Демо көздер: бұл зал жазбасы емес.
protocol-title = Қысқаша хаттама
protocol-empty = Әзірге жазба жоқ. Мәтінді теріп, Enter басыңыз немесе F1–F12 пернелерін қолданыңыз.
protocol-placeholder = Жазбаны теріп, Enter басыңыз
protocol-before-recording = жазбадан тыс
speaker-label = Сөйлеуші
speaker-none = Көрсетілмеген
speaker-keys = Ctrl+1…9 — сөйлеушіні таңдау, Ctrl+0 — ешкім
entry-corrected = түзетілді
entry-addendum = Толықтыру
entry-correct = Түзету
entry-save = Сақтау
entry-cancel = Болдырмау
hotkeys-title = Дайын жазбалар
no-remote-participant = Бұл отырысқа бейнеконференцбайланыс арқылы ешкім қатыспайды.
remote-pick-speaker = Бейнеконференцбайланыс арқылы бірнеше адам қатысады: жеке басы анықталған қатысушыны сөйлеуші ретінде таңдаңыз (Ctrl+сан), содан кейін F3-ті қайта басыңыз.
confirm-stop-title = Отырысты жабу керек пе?
confirm-stop-body = Жазба тоқтайды, отырыс жабылады және оны жалғастыруға болмайды. Үзіліс үшін «Үзіліс» таңдаңыз.
confirm-stop-close = Отырысты жабу
confirm-stop-recess = Үзіліс жасау
confirm-continue = Жазуды жалғастыру
confirm-exit-title = Отырыс жазылып жатыр
confirm-exit-body = «Хаттама» бағдарламасы жабылар алдында жазбаны дұрыс аяқтайды. Отырыс ашық қалады, оны кейін жалғастыруға болады.
confirm-exit-yes = Жазбаны аяқтап, шығу
exiting = Жабылар алдында жазба аяқталуда…
copy-details = Толығырақ көшіру
dismiss = Жасыру
session-closed-note = Отырыс жабылған; хаттама жазылған күйінде көрсетілген.

## Қолтаңба
seal-key-failed = { $path } қолтаңба кілтін пайдалану мүмкін емес
seal-random-failed = Жаңа қолтаңба кілті үшін кездейсоқ сандар жоқ
seal-key-help = Деректер қалтасын тексеріңіз (кілтті тек осы пайдаланушы оқуы керек); кілтсіз жазбалар сақталады, бірақ қол қойылмайды.
seal-malformed = Бұл жарамды қолтаңба да, ашық кілт те емес
seal-unknown-key = Сенімді кілттер тізімінде жоқ кілтпен қол қойылған
seal-bad-signature = Қолтаңба сәйкес келмейді: файл қол қойылғаннан кейін өзгертілген
seal-verify-help = Бұл көшірмеге сенбеңіз: соттан түпнұсқа жазбаны және оның ашық кілтін сұраңыз.
doc-title = СОТ ОТЫРЫСЫНЫҢ ҚЫСҚАША ХАТТАМАСЫ
doc-court = Сот
doc-hall = Зал
doc-instance = Саты
doc-case = Іс
doc-session = Отырыс
doc-category = Санат
doc-judge = Төрағалық етуші
doc-secretary = Сот отырысының хатшысы
doc-participants = Қатысушылар
doc-remote = бейнеконференцбайланыс арқылы, қайдан
doc-entries = Жазбалар (бөлік·жазбадағы уақыт, жергілікті уақыт, түрі, мәтіні)
doc-not-recorded = жазылмаған
doc-chain-head = SHA-256 хеш тізбегінің басы
seal-write-failed = { $path } қолтаңба файлын жазу мүмкін емес
seal-cms-failed = Соттың сертификаты бұл мөрге қол қоя алмайды
seal-cms-help = Баптаудағы [signing] бөлімін тексеріңіз: PKCS#12 файлы, оның құпиясөз файлы және сертификаттың бүгін жарамдылығы. Бөлік мөрсіз қалады және сертификат қайта қол қоя алған кезде (келесі іске қосуда) мөрленеді.
seal-state-sealed = ✓ Қол қойылды
seal-state-recovered = ✓ Қол қойылды (іркілістен кейін қалпына келтірілді: { $count })
seal-state-unsealed = ✗ Қол қойылмаған бөліктер: { $count }
seal-check = Тексеру
seal-checking = Тексерілуде…
seal-check-ok = ✓ Расталды: барлық файл, қолтаңба және хаттама тізбегі дұрыс.
seal-check-failed = ✗ РАСТАЛМАДЫ: { $what }
seal-check-folder = Қалтаны немесе дискіні тексеру…
seal-check-image = Диск бейнесін тексеру…
seal-check-none = { $path } ішінде қол қойылған жазба жоқ.
seal-check-folder-ok = ✓ { $path }: { $count } бөлік расталды.
seal-check-folder-failed = ✗ { $path }: { $count } бөліктің { $failed } өтпеді — { $what }
seal-key-label = Қолтаңба кілті { $id }
settings-key-title = Қолтаңба кілті (әр жазбаға қол қояды)
settings-key-export = Ашық кілтті сақтау…
settings-key-exported = Ашық кілт { $path } ішінде сақталды.

## The case disc
disc-media-cd = CD-R 700 МБ
disc-media-dvd = DVD±R 4,7 ГБ
disc-media-dvd-dl = DVD+R DL 8,5 ГБ
disc-media-bd = BD-R 25 ГБ
disc-nothing-sealed = { $case } ісінде көшіруге қол қойылған жазба жоқ
disc-nothing-sealed-help = Іс нөмірін тексеріңіз; бөлік аяқталғанда қол қойылады, үзілген бөлікке «Хаттама» бағдарламасы келесі іске қосылғанда қол қойылады.
disc-part-too-large = Отырыс бөлігі { $media } дискіге сыймайды
disc-part-too-large-help = Көлемі үлкенірек дискіні таңдаңыз (DVD, DVD DL немесе BD).
disc-damaged = { $folder } ішіндегі жазба өз қолтаңбасымен сәйкес келмейді
disc-damaged-help = Ештеңе көшірілмеді. Бөлікті тексеріп (hattama verify), диск жасамас бұрын оны сот серверінен қалпына келтіріңіз.
disc-read-failed = { $path } оқылмайды
disc-layout-failed = Диск бейнесін орналастыру мүмкін емес
disc-write-failed = { $path } диск бейнесін жазу мүмкін емес
disc-write-help = Қалтаны және ондағы бос орынды тексеріңіз; бейне атымен ештеңе қалдырылмады.
disc-cancelled = Диск бейнесін жасау тоқтатылды
disc-cancelled-help = Бейне атымен ештеңе қалдырылмады.
disc-checking = Жазбалар қолтаңбалары бойынша тексерілуде
disc-writing = Бейне жазылуда
disc-left = { $seconds } с қалды
disc-unsealed = Дискіде жоқ (қол қойылмаған): { $session } отырыс, { $part } бөлік
disc-built = { $path }: { $of } дискінің { $disc }-сі, { $label }, { $size } байт
disc-readme =
    ІС ДИСКІСІ — { $court }
    { $case } ісі, { $of } дискінің { $disc }-сі ({ $label }).

    Дискіде істің сот отырыстарының қол қойылған жазбалары бар:
    { $parts }
    Әр қалта — отырыстың бір бөлігі (үзіліске немесе соңына дейінгі жазба): бейне мен
    дыбыс (recording-001.mkv, ұзын бөлікте recording-002.mkv, …), тек дыбыс (audio.opus),
    қысқаша хаттама (protocol.txt) және оның қолтаңбасы.

    Көру үшін: recording-001.mkv файлын кез келген ойнатқышта ашыңыз (VLC, mpv, әдеттегі
    кодектері бар Windows Media Player). protocol.txt ішіндегі уақыт — ойнатқыштың уақыты.

    Ештеңе өзгертілмегенін стандартты құралдармен тексеру (minisign, sha256sum):
      cd { $example }
      { $sums }
      minisign -Vm manifest.json -p { $key }
    Қалтада manifest.json.p7s болса, оған соттың өз сертификаты да қол қойған (CMS);
    openssl және куәландырушы орталықтың сертификатымен (ca.pem) тексеріледі:
      openssl cms -verify -binary -inform DER -in manifest.json.p7s -content manifest.json -CAfile ca.pem -out /dev/null
    Дискідегі файлдар тізіміне (INVENTORY.json) де солай қол қойылған:
      minisign -Vm INVENTORY.json -p { $inventory_key }
    Немесе «Хаттама» бағдарламасы арқылы: hattama verify <осы диск немесе оның бейнесі>.
cli-disc = Іс дискісі: істің қол қойылған жазбаларының CD/DVD/BD бейнелері
cli-disc-build = Іс дискісінің бейнесін жасау (бір дискіге сыймаса, нөмірленген жинақ)
cli-disc-build-case = Іс нөмірі
cli-disc-build-out = Бейне файлы (жинақ қасында нөмірленеді: АТЫ-1of2.iso, …)
cli-disc-build-media = Қай дискіге: cd (700 МБ), dvd (4,7 ГБ), dvd-dl (8,5 ГБ), bd (25 ГБ)
cli-disc-build-json = JSON шығару
cli-disc-build-force = Осы атаумен «Хаттама» бұрын жасаған бейнені ауыстыру (басқа файл ешқашан ауыстырылмайды)
disc-burn-failed = Дискіні жазу мүмкін болмады
disc-burn-failed-help = Жетекте қажетті түрдегі таза диск бар екенін тексеріп, қайталаңыз; бейне келесі әрекетке не басқа жетекке сақталды.
disc-no-drive = Оптикалық жетек табылмады. Бейне сақталды: { $path }. Оны басқа компьютерде жазып, сонда тексеріңіз: hattama verify { $path }
disc-burning = Диск жазылуда
disc-reading-back = Салыстыру үшін диск оқылуда
disc-burn-match = { $drive }: диск бейнемен сәйкес (SHA-256 { $sha256 })
disc-burn-differs = { $drive }: ДИСК БЕЙНЕМЕН СӘЙКЕС КЕЛМЕЙДІ: { $summary }
disc-drives-none = Оптикалық жетек табылмады.
cli-disc-drives = Оптикалық жетектер тізімі
cli-disc-drives-json = JSON шығару
cli-disc-burn = Бейнені дискіге жазу, оқып салыстыру және нәтижені іс тізімдемесіне енгізу
cli-disc-burn-image = Жазылатын бейне (hattama disc build жасаған)
cli-disc-burn-drive = Жетек (hattama disc drives тізімінен; stdio:ФАЙЛ файлға жетек сияқты жазады); әдепкі — табылған жалғыз жетек
cli-disc-burn-json = JSON шығару
cli-disc-build-capacity = Дискінің сыйымдылығы, байт (тест үшін)
disc-inventory-line = { $label } · { $of } дискінің { $disc }-і · { $made } жасалды, { $by } · { $burned }
disc-inventory-burned-match = жазылды және бейнесімен салыстырылды
disc-inventory-burned-differs = жазылды, бірақ оқылғаны өзгеше: { $detail }
disc-inventory-not-burned = әлі жазылмаған
disc-inventory-title = Іс дискілерінің тізімдемесі
disc-inventory-case = Іс
disc-inventory-label = Том белгісі
disc-inventory-disc = Диск
disc-inventory-media = Тасымалдағыш
disc-inventory-sessions = Отырыстар
disc-inventory-size = Байт
disc-inventory-contents = Мазмұны (INVENTORY.json файлының SHA-256)
disc-inventory-made = Жасалған
disc-inventory-by = Кім жасады
disc-inventory-burned = Жазылып, салыстырылды
disc-inventory-check = Дискіні тексеру: hattama verify <диск немесе бейне>, не README.txt айтқандай minisign және sha256sum арқылы.
disc-inventory-none = { $case } ісі бойынша диск жасалмаған.
cli-disc-inventory = Іс дискілерінің тізімдемесін шығару (мәтін не басуға арналған бет)
cli-disc-inventory-case = Іс нөмірі
cli-disc-inventory-html = Басуға арналған бетті (HTML) осы файлға жазу
cli-disc-inventory-json = JSON шығару
session-disc-copy = Дискіге көшірме
disc-title = { $case } ісінің дискіге көшірмесі
disc-media = Диск түрі:
disc-folder = Бейнелер мына жерге сақталады: { $folder }
disc-choose-folder = Қалтаны таңдау…
disc-planning = Есептелуде…
disc-planned = { $of } дискінің { $disc }-сі: { $label }, { $megabytes } МБ, отырыс бөліктері: { $parts }
disc-build = { $count ->
    [one] Бейнені жасау
   *[other] Бейнелерді жасау ({ $count })
}
disc-disc = Диск
disc-cancel = Тоқтату
disc-images-ready = { $count ->
    [one] Бейне дайын және іс тізімдемесіне енгізілді.
   *[other] Бейнелер дайын ({ $count }) және іс тізімдемесіне енгізілді.
}
disc-drive = Жетек:
disc-drives-none-window = Бұл компьютерде оптикалық жетек жоқ: бейнелер басқа жерде жазу үшін сақталды, әрқайсысы hattama verify арқылы тексеріледі.
disc-burn = Жазу және салыстыру
disc-burning-progress = Жазылуда: { $done } / { $total } МБ
disc-save-page = Тізімдеме бетін сақтау…
disc-page-saved = Тізімдеме беті сақталды: { $path }
deliver-pass = Жеткізілді { $delivered }, қайталанады { $retrying }, қабылданбады { $failed }, баптауды күтуде { $waiting }.
deliver-busy = Осы деректер қалтасынан «Хаттама» бағдарламасының басқа процесі жіберіп жатыр (терезе немесе hattama deliver); уақыты келгенін сол жібереді.
cli-deliver = Шығыс кезегіндегіні жіберу (хаттамалар ҚР СО БААТЖ-ға) және мерзімі келгенде жібере беру
cli-deliver-once = Бір рет өтіп, шығу
cli-deliver-json = JSON шығару
cli-man-pages = Нұсқаулық беттерін (man) қалтаға жазу (пакет үшін)
cli-man-pages-out = Оларды жазатын қалта
cli-man-pages-failed = Нұсқаулық беттерін { $folder } қалтасына жазу мүмкін болмады: { $error }
cli-receiver = Қысқаша хаттамалардың үлгі қабылдағышы (docs/baatzh.md)
cli-receiver-listen = Тыңдайтын мекенжай
cli-receiver-store = Қабылданғанды сақтайтын қалта
cli-receiver-token = Талап етілетін токен
delivery-delivered = Хаттаманы ҚР СО БААТЖ { $at } қабылдады
delivery-retry = Қайта жіберу
cli-deliver-retry_failed = Біржола қабылданбағандарды қайта жіберу (себебі жойылған соң)
upload-delivered = Соттың жазба серверіне { $at } жүктелді, сонда тексерілді
replicate-not-configured = Реплика бапталмаған (баптау файлындағы [delivery] replica).
replicate-done = Реплика: кезекке жаңадан { $queued } бөлік қойылды; { $total } ішінен { $copied } көшіріліп, сонда тексерілді.
restore-failed-title = Бөлікті репликадан қайтару мүмкін болмады
restore-failed-help = Мұнда ештеңе өзгертілмеді. Баптаулардан репликаның мекенжайы мен кілттерін тексеріңіз немесе облыстық соттан бөліктің оның серверінде бар-жоғын сұраңыз.
restore-from-replica = Репликадан қалпына келтіру
restoring = Бөлік репликадан қайтарылып, тексерілуде…
restore-whole = { $folder }: мұнда бүтін, қалпына келтіретін ештеңе жоқ.
restore-done = { $folder }: репликадан қалпына келтірілді ({ $files } файл, қолтаңба мен хештер тексерілді); зақымдалған көшірме қасында сақталды.
cli-replicate = Өңірлік репликада әлі жоқ әр қол қойылған бөлікті хеш тексерісімен көшіру
cli-replicate-json = JSON шығару
cli-restore = Жергілікті көшірме жоғалса не зақымдалса, отырыс бөліктерін репликадан қайтару
cli-restore-session = Отырыс нөмірі
cli-restore-json = JSON шығару
outbox-retrying = { $target } әлі жетпеді: келесі әрекет { $at } ({ $error })
outbox-failed = { $target } қабылдамады: { $error }
outbox-pending = { $target } жіберілуді күтуде (бапталып, қолжетімді болғанда жіберіледі)
target-baatzh = ҚР СО БААТЖ
target-server = соттың жазба сервері
target-archive = СҚЭМ (электрондық мұрағат)
target-replica = өңірлік реплика
archive-delivered = Дыбыс қолтаңбасымен { $at } бастап СҚЭМ-де, сонда тексерілді
replica-delivered = Өңірлік репликаға { $at } көшірілді, сонда тексерілді

## Қарау: жазбаның қасындағы хаттама
player-no-recording = Бұл бөліктің жазба файлдары жоқ
player-failed = Жазбаны ойнату мүмкін емес
player-failed-help = Бөлікті тексеріңіз (Тексеру) және GStreamer модульдерін орнатыңыз (make run орнатады); хаттаманы оқуға болады.
player-track = { $number }-жол
clip-range = Үзіндінің басы мен соңы дұрыс емес
clip-range-help = Басы соңынан бұрын болсын, екеуі де бөліктің ішінде.
clip-failed = Үзіндіні жазу мүмкін болмады
clip-failed-help = Аяқталмаған файл қалған жоқ. Бөлікті және үзінді жазылатын жердегі бос орынды тексеріп, қайталаңыз.
review-nothing-sealed = { $path } ішінен мөрленген ештеңе табылмады
review-unreadable = { $path } оқылмайды
review-image-unreadable = { $path } диск бейнесі оқылмайды
review-open-help = Дискіні, диск бейнесін (.iso) немесе одан көшірілген қалтаны таңдаңыз: сот отырысының немесе бөліктің қалтасын.
session-review = Қарау
sessions-from-disc = Дискіден немесе көшірмеден:
review-open-folder = Дискіні немесе қалтаны қарау…
review-open-image = Диск бейнесін қарау…
review-title = { $case } іс · { $session } сот отырысы
review-source-database = Осы соттың жазбаларынан
review-source-folder = { $path } ішінен оқылды (дерекқорсыз)
review-source-server = Сот серверінен ойнатылады: { $place } (толық жүктелмейді)
review-part = { $number }-бөлік
review-part-seal = { $number }-бөлік: { $state }
review-seal-checking = мөр тексерілуде…
review-seal-verified = мөрленген және тексерілген
review-seal-recovered = мөрленген және тексерілген; жазба үзіліп, қалпына келтірілген
review-seal-unsealed = әлі мөрленбеген: бұл жазбаға ештеңе кепіл бола алмайды
review-seal-failed = ТЕКСЕРУДЕН ӨТПЕДІ ({ $what }); ойнатылады, бірақ бұл көшірме мөрленген кездегідей емес
review-seal-streaming = мөр тексерілді (қолтаңба, файлдар, өлшемдер); әр байт ойнатылған сайын мөрмен салыстырылады
stream-server = Сот серверін оқу мүмкін емес
stream-server-help = Желіні, сондай-ақ баптаулардағы (Жеткізу) сервер мекенжайы мен кілттерін тексеріңіз; соттың әкімшісі көмектеседі.
stream-no-parts = Сот серверінде { $case } ісінің мөрленген бөлігі жоқ
stream-mount = Істі бұл компьютерде серверден көрсету мүмкін емес
stream-mount-help = fuse3 орнатыңыз (пакет соған тәуелді) және /dev/fuse бар екенін тексеріңіз; немесе бөлікті қалпына келтіріп (hattama restore), сол жерден қараңыз.
stream-refused = Сот серверіндегі { $case } ісінің бірде-бір бөлігі мөріне сәйкес емес
stream-unreadable = Сот серверіндегі іс оқылмайды
stream-changed = Сот серверіндегі { $file } мөрленген кездегіден өзгеше
stream-changed-help = Ойнату тоқтатылды: сервердегі көшірме өзгертілген немесе бүлінген. Соттың әкімшісіне хабарлаңыз; бөлікті өңірлік серверден қалпына келтіруге болады (hattama restore).
review-check-stopped = тексеру аяқталмады
review-opening = Жазба ашылуда…
review-no-picture = Бейне жоқ
review-play = ▶ Ойнату
review-pause = Үзіліс
review-back-minute = −1 мин
review-back-10 = −10 с
review-ahead-10 = +10 с
review-ahead-minute = +1 мин
review-track = Дыбыс
review-volume = Дыбыс деңгейі
review-clip = Үзінді:
review-clip-here = осы жерден
review-clip-export = Үзіндіні шығару…
review-clip-where = Үзіндіні қайда сақтау керек?
review-clip-done = Үзінді жазылып, қол қойылды: { $folder }
review-keys = Бос орын немесе K — ойнату/үзіліс · ←/→ немесе J/L ∓10 с · Shift+←/→ ∓1 мин · [ ] жылдамдық · - + дыбыс деңгейі · T дыбыс жолы · PgUp/PgDn бөлік · ↑/↓ жазба · Enter — оны ойнату · Ctrl+F іздеу · Esc артқа
review-search = Хаттамадан іздеу
review-any-kind = Кез келген түрі
review-any-speaker = Кез келген қатысушы
review-clear = Тазарту
review-found = { $all } жазбаның { $shown }
review-no-entries = Хаттамада жазба жоқ.
review-none-found = Ештеңе табылмады.
review-addendum = ↳ толықтыру { $time }: { $text }
review-not-recorded = Бұл жазба ештеңе жазылмай тұрғанда енгізілген.
review-write-addendum = Осы жазбаға толықтыру жазу…

## Жабдықты күнделікті тексеру (7, 11, 17-тармақтар)
check-camera = Камера
check-microphone = Микрофон
check-remote-audio = Бейнеконференция дыбысы
check-disk = Дисктегі бос орын
check-key = Соттың қолтаңба кілті
check-role-head-of-office = кеңсе меңгерушісі
check-role-service-organisation = қызмет көрсетуші ұйымның қызметкері
check-device-missing = { $name } қосылмаған (баптауларда көрсетілген, бірақ табылмады)
check-no-camera = Камера табылмады
check-no-microphone = Микрофон табылмады
check-remote-not-configured = Бейнеконференция кірісі бапталмаған (recording.remote_audio)
check-no-picture = Бейне келмейді
check-picture-black = Бейне қара (жабық, өшірулі немесе сигнал жоқ)
check-picture-frozen = Бейне қатып қалған (үнемі бір кадр)
check-picture-live = Тірі бейне ({ $frames } кадр)
check-kept-unreadable = Бұл сақталған тексерудің қадамдары оқылмайды (дерекқор жолы бүлінген): { $reason }
check-no-folder = Мұндай қалта жоқ: { $path }
check-no-answer = { $seconds } с ішінде жауап жоқ
check-record = Сақталған тексеру
check-no-sound = Дыбыс келмейді
check-sound = Дыбыс келеді (шыңы { $peak } дБFS); есту үшін бір нәрсе айтыңыз
check-disk-enough = { $free } ГБ бос, жұмыс күніне { $needed } ГБ керек
check-disk-short = Тек { $free } ГБ бос: жұмыс күніне { $needed } ГБ керек
check-key-ok = Қол қояды, қолтаңба тексеріледі (кілт { $id })
check-not-configured = Бапталмаған
check-reachable = Жауап береді
check-folder-missing = Қалта жоқ
check-heading = Жабдықты күнделікті тексеру, жүргізуші { $by } ({ $role }):
check-passed = Барлық қадам өтті.
check-failed = Өтпеген қадамдар: { $count }.
check-run = Жабдықты тексеру
check-running = Камералар, микрофондар, диск, кілт және серверлер тексерілуде…
check-not-done-today = Бүгінгі жабдықты тексеру жүргізілмеген (7-тармақ). Бұл жазуды тоқтатпайды.
check-today-failed = Бүгінгі жабдықты тексеру { $count } ақау тапты ({ $what }).
check-page-title = Аудио-, бейнежазу құралдарын күнделікті тексеру
check-page-hall = { $hall }-зал
check-page-step = Қадам
check-page-detail = Нәтиже
check-page-signature = Қолы
check-save-page = Бетті сақтау…
check-page-saved = Бет сақталды: { $path }
disk-low = Дискіде орын азайып барады: { $free } ГБ қалды. Жазу жалғасуда; диск толуға жақындаса, бөлік өздігінен тоқтатылып, мөрленеді. Кеңсе меңгерушісіне хабарлаңыз.
disk-stopped = Диск толуға жақын болғандықтан бөлік тоқтатылып, мөрленді ({ $why }).

## Incidents during a session (rules 27–29)
kind-incident = Техникалық ақау
kind-technical-act = Техникалық акт
input-lost-overlay = СИГНАЛ ЖОҚ: { $name } — { $since } бастап
incident-input-stopped = { $name }: сигнал жоғалды
incident-input-error = { $name }: құрылғы істен шықты
incident-microphone-silent = { $name }: микрофон үнсіз
incident-disk-nearly-full = Диск толуға жақын: жазба тоқтатылып, қол қойылды
incident-write-error = Жазбаны дискіге сақтау мүмкін болмады
incident-back = { $name }: сигнал қалпына келді
incident-began-line = АҚАУ { $at }: { $what } ({ $details }). Қалған кірістер жазуды жалғастырады.
incident-ended-line = Ақау { $at } жойылды: { $what }.
notify-subject = Хаттама: { $court }, { $hall }: { $what }
notify-body = { $what }.
    Сот: { $court }, зал: { $hall }.
    Іс { $case }, { $part }-бөлік, { $started } бастап.
    Толығырақ: { $details }
notify-deadline = Облыстық соттың үйлестірушісі ақаудың себебін Департаменттің үйлестірушісіне { $due } дейін хабарлайды (28-тармақ: бір сағат ішінде).
act-incomplete = Актіде себебі және оны кім растағаны керек
act-incomplete-help = Үйлестіруші немесе қызмет көрсетуші ұйым растаған себепті және растаушының атын жазыңыз.
act-already = Бұл ақауға акт жасалып қойған
act-already-help = Жасалған акт қол қойылған хаттаманың бөлігі; түзету оған толықтыру арқылы жасалады.
act-write-failed = Актінің бетін жазу мүмкін болмады
act-not-ended = бөлік аяқталғанша жойылмады
act-title = №{ $number } техникалық акт
act-signature-drawn = Жасаған
act-signature-confirmed = Себебін растаған
act-text = №{ $number } ТЕХНИКАЛЫҚ АКТ (29-тармақ)
    Сот: { $court }, { $hall } зал. Іс { $case }, { $part }-бөлік.
    Ақау: { $what } ({ $details }).
    { $started } бастап { $ended } дейін.
    Себебі: { $cause }
    Себебін растаған: { $confirmed }
    Жасаған: { $by }, { $at }.
incidents-title = { $count ->
    [one] Осы отырыста жабдық ақауы болды
   *[other] Осы отырыста { $count } жабдық ақауы болды
}
incident-now = қазір
incident-report-due = Облыстық соттың үйлестірушісі себебін Департаменттің үйлестірушісіне { $due } дейін хабарлайды ({ $minutes } мин қалды, 28-тармақ).
incident-report-overdue = Облыстық сот үйлестірушісінің хабарлау сағаты { $due } аяқталды (28-тармақ).
act-draw-up = Техникалық акт…
act-form-title = №{ $number } ақау бойынша техникалық акт (29-тармақ)
act-cause = Расталған себебі
act-confirmed-by = Кім растады (аты-жөні, лауазымы)
act-save = Жасап, тіркеу
act-drawn-up = №{ $number } техникалық акт жасалды, хаттамаға тіркеліп, қол қойылды.
act-save-page = Актінің бетін сақтау…
act-page-saved = Актінің беті { $path } ішіне сақталды.
check-spoken-into = Дауыспен тексеру және тыңдау
check-spoken = Сөз жетті (шың { $peak } dBFS) және қайта ойнатқанда естілді
check-not-spoken = Микрофонға сөйлегенде жеткілікті қатты дыбыс келмеді (шың { $peak } dBFS)
check-not-heard-back = Сөз жетті (шың { $peak } dBFS), бірақ қайта ойнатқанда естілмеді
check-guided-skipped = Тексеруші бұл қадамды орындамады
check-playback-timeout = Қайта ойнату аяқталмады
check-guided-title = Әр микрофонды дауыспен тексеріңіз: { $total } ішінен { $done }
check-guided-speak = «Тыңдау» батырмасын басып, «{ $name }» микрофонына { $seconds } секунд сөйлеңіз. Жазба бірден қайта ойнатылады.
check-guided-listen = Тыңдау
check-guided-listening = Тыңдап тұрмын… «{ $name }» микрофонына сөйлеңіз
check-guided-heard = Шың { $peak } dBFS, қайта ойнатылды. Естідіңіз бе?
check-guided-yes = Естідім
check-guided-no = Естімедім
check-guided-skip = Өткізіп жіберу
check-guided-finish = Тексеруді аяқтау
incident-recording-interrupted = Жазба аяқталмай үзілді (кейін қалпына келтірілді)

act-waits-for-end = акт ақау жойылғаннан кейін
act-due = акт { $due } дейін жасалады
act-overdue = актінің мерзімі өтті ({ $due } дейін еді)
act-drawn-up-at = акт { $at } жасалды, жасаған: { $by }
incidents-none = Техникалық актіні күтіп тұрған ақау жоқ.
incidents-line = №{ $number }  { $when }  { $case }: { $what } — { $act }
act-sealed-anew = №{ $number } техникалық акт жасалып, хаттамаға тіркелді; бөлікке қайта қол қойылды: { $folder }
cli-incidents = Ақаулар және олардың техникалық актілері (29-тармақ)
cli-incidents-list = Техникалық актіні күтіп тұрған ақауларды мерзімімен шығару
cli-incidents-list-all = Барлық ақау, акті жасалғандары да
cli-incidents-list-json = JSON шығару
cli-incidents-act = Ақаудың техникалық актісін жасау, хаттамаға тіркеу және бөлікке қайта қол қою
cli-incidents-act-id = Ақаудың нөмірі (hattama incidents list бойынша)
cli-incidents-act-cause = Расталған себебі
cli-incidents-act-confirmed_by = Кім растады (аты-жөні, лауазымы)
cli-incidents-act-by = Актіні кім жасайды (әдепкі бойынша — баптаулардағы оператор)
cli-incidents-act-json = JSON шығару
act-no-incident = №{ $number } ақау жоқ
act-no-incident-help = hattama incidents list --all барлық ақауды нөмірімен шығарады.
acts-awaiting = Техникалық актіні күтіп тұрған ақаулар: { $count } (29-тармақ):
acts-awaiting-more = … тағы { $count } (барлығын hattama incidents list шығарады)

## Where a chosen path may be written (output.rs)
output-inside-data = { $path } «Хаттама» бағдарламасының деректер қалтасының ішінде
output-inside-data-help = Онда тек «Хаттама» бағдарламасының өзі жазады (дерекқор, жазбалар мен кілттер сонда). Басқа қалтаны таңдаңыз.
output-exists = { $path } бұрыннан бар
output-exists-help = Бар файл ешқашан ауыстырылмайды: жаңа атау немесе басқа қалта таңдаңыз.
output-ours = { $path } — «Хаттама» бұрын жасаған диск бейнесі
output-ours-help = Жаңа атау таңдаңыз немесе ол бейнені --force арқылы әдейі ауыстырыңыз.
output-failed = { $path } жазылмады
output-failed-help = Қалтаның бар екенін, оған жазуға болатынын және орын барын тексеріңіз.

## Benchmarks never touch a court's data (cli.rs)
bench-needs-own-data = Өлшеу тек өз деректер қалтасында жұмыс істейді: --data арқылы жаңа қалтаны көрсетіңіз.
bench-refuses-data = { $folder } ішінде өлшеу жасамаған деректер бар: өлшеу соттың деректер қалтасына ешқашан жазбайды және қол қоймайды. --data арқылы жаңа қалтаны көрсетіңіз.

## The daily check's steps that must be able to fail (check.rs)
check-sound-silent = Цифрлық тыныштық (шың { $peak } dBFS): кіріс ешқандай дыбыс бермейді (өшірулі, бұзылған немесе ажыратылған)
check-key-lost = Мұнда { $count } бөлікке қол қойған кілт жоқ: ол жаңасымен ауыстырылмайды; оны көшірмесінен қалпына келтіріңіз
check-file-open = { $path } файлын осы компьютердің басқа пайдаланушылары оқи алады
check-certificate = Соттың сертификаты (CMS)
check-certificate-ok = Қол қояды: { $who }; ауыстыруға дейін қалған күн: { $days }
check-secrets = Баптаулардағы құпиялар
check-secrets-open = { $path } ішінде токендер, кілттер немесе құпиясөздер бар және оны компьютердің кез келген пайдаланушысы оқи алады: chmod o-r (пайдаланушының өз файлы: chmod 600)
check-secrets-closed = Тек арналған пайдаланушылар оқи алады
check-token-refused = Токен қабылданбады (HTTP { $status })
check-not-there = Бұл мекенжайда ештеңе қабылдамайды (HTTP { $status })
check-server-failing = Сервер қатемен жауап береді (HTTP { $status })
check-webhook = Ақаулар туралы вебхук
check-mail = Пошта сервері
check-mail-refused = Пошта сервері қосылымды қабылдамайды
check-status-target = Портал үшін зал күйі
cli-keys = Соттың сенім тізбегі: түбір кілті, зал кілттерінің сертификаттары, кері қайтарулар, сенім тізімі
cli-keys-init-court = Жаңа қалтада түбір кілтін (соттың немесе уәкілетті органның) жасау; желіден тыс сақтаңыз
cli-keys-init-court-out = court-root.key және court-root.pub үшін жаңа қалта
cli-keys-init-court-json = JSON шығару
cli-keys-certify = Зал кілтін соттың түбір кілтімен куәландыру (key-certificate.json және оның .minisig)
cli-keys-certify-root = Соттың түбір кілті бар қалта
cli-keys-certify-public = Зал кілтінің ашық файлы (кілттер қалтасындағы hattama.pub)
cli-keys-certify-court = Сертификатта аталатын сот
cli-keys-certify-hall = Сот отырысы залы
cli-keys-certify-instance = Инстанция: first, appellate, cassation немесе supervisory
cli-keys-certify-from = Жарамды басталуы (күн немесе RFC 3339 уақыты; әдепкі: қазір)
cli-keys-certify-until = Жарамды аяқталуы (күн, оның соңына дейін, немесе RFC 3339 уақыты)
cli-keys-certify-out = Сертификат жазылатын қалта (тек жаңа файлдар)
cli-keys-certify-json = JSON шығару
cli-keys-revoke = Зал кілтін белгілі уақыттан бастап кері қайтару: содан кейінгі мөрлері өтпейді, бұрынғылары жарамды
cli-keys-revoke-root = Соттың түбір кілті (және оның revocations.json) бар қалта
cli-keys-revoke-key_id = Зал кілтінің идентификаторы (16 он алтылық цифр)
cli-keys-revoke-from = Кері қайтарылған уақыты (күн немесе RFC 3339 уақыты; әдепкі: қазір)
cli-keys-revoke-reason = Себебі (жоғалды, ұрланды, жұмыс орны ауыстырылды…)
cli-keys-revoke-json = JSON шығару
cli-keys-trust-list = Соттардың түбір кілттерінің сенім тізіміне уәкілетті органның түбір кілтімен қол қою
cli-keys-trust-list-authority = Уәкілетті органның түбір кілті бар қалта
cli-keys-trust-list-courts = Сот және оның түбір ашық кілтінің файлы, АТАУЫ=ФАЙЛ түрінде; әр сот үшін қайталаңыз
cli-keys-trust-list-out = Сенім тізімі жазылатын файл (жанында оның .minisig)
cli-keys-trust-list-json = JSON шығару
cli-keys-show = Осы жұмыс орнының зал кілті, оның сертификаты және күйі
cli-keys-show-json = JSON шығару
cli-verify-trust_list = Сенім тізімі (trust-list.json, уәкілетті орган қол қойған): кілтін тізімдегі сот куәландырған мөр сенімді
cli-verify-authorities = Сенім тізіміне қол қойған органның ашық кілті; қайталауға болады
cli-verify-revocations = Соттың revocations.json файлы (түбір кілтімен қол қойылған); қайталауға болады
cli-verify-chunks = Сонымен қатар әр файлдың әр МиБ-ын мөрдің бөліктер тізімімен салыстыру — судьяға трансляция мен диск бейнесі соған сенеді (файлдар екі рет оқылады)
keys-root-made = { $id } түбір кілті жасалды: ашық бөлігі { $public } тексерушілерге беріледі; құпия бөлігі { $secret } әкімшіде желіден тыс сақталады.
keys-certified = { $id } кілті { $court }, { $hall } зал үшін { $until } дейін куәландырылды: { $file } (оны және .minisig файлын жұмыс орнының кілттер қалтасына көшіріңіз).
keys-revoked = { $id } кілті { $from } бастап кері қайтарылды: { $file } (оны және .minisig файлын сенім тізімімен бірге барлық тексерушілерге беріңіз).
keys-trust-list = { $count } соттың сенім тізіміне қол қойылды: { $file }
keys-show-uncertified = { $id } зал кілті: соттың түбір кілтімен әлі куәландырылмаған.
keys-show-certified = { $id } зал кілті: { $court }, { $hall } зал үшін { $until } дейін куәландырылған ({ $state }).
settings-key-certified = Соттың түбір кілтімен { $court }, { $hall } зал үшін { $until } дейін куәландырылған
settings-key-uncertified = Соттың түбір кілтімен әлі куәландырылмаған (hattama keys certify)
cli-keys-rotate = Осы жұмыс орнының зал кілтін ауыстыру: ескісі осында сенімді болып қалады, жаңасына сертификат керек
cli-keys-rotate-json = JSON шығару
keys-rotated = { $old } кілті шығарылды (онымен мөрленгендер үшін осында сенімді болып қалады); жаңа кілт { $new }: { $public } куәландырыңыз (hattama keys certify) және оның сертификатын орнатыңыз.
disc-readme-chain =
    Қалтаны мөрлеген кілтті соттың түбір кілті куәландырған (қалтадағы key-certificate.json);
    түбір кілт Соттардың қызметін қамтамасыз ету департаментінің сенім тізімінде. minisign арқылы:
      minisign -Vm key-certificate.json -p { $root }
      minisign -Vm manifest.json -P <key-certificate.json ішіндегі public_key>

seal-service-failed = Зал қолтаңба қызметі қол қоймайды
seal-service-help = Ештеңе жоғалған жоқ: бөлік сақталды және қызмет қайта қол қоя бастағанда мөрленеді. Соттың әкімшісіне хабарлаңыз (systemctl status hattama-signer); оның орнына басқа кілт қолданылмайды.
check-service-ok = Зал қолтаңба қызметі { $id } кілтімен қол қояды ({ $certified }){ $court }
check-service-uncertified = соттың түбір кілтімен әлі куәландырылмаған
check-service-certified = куәландырылған: { $court }, { $hall } зал, { $until } дейін
cli-signer = Зал қолтаңба қызметі: жұмыс орнының жалғыз мөр кілтін сақтайды және оның хатшылары үшін қол қояды (systemd іске қосады)
cli-signer-folder = Оның қалтасы: кілт keys/ ішінде, қолтаңбалар журналы (әдепкі /var/lib/hattama-signer)
cli-signer-socket = Ол тыңдайтын орын (әдепкі /run/hattama-signer/socket)
mirror-unknown-target = «{ $name }» — бапталған орын емес: [delivery] ішінде мекенжайы бар server, cassation, supervisory, archive не replica
mirror-done = { $from } ішіндегі мөрленген бөліктер: { $parts }; { $to } орнына көшіріліп, сонда тексерілді: { $copied }, бұрыннан бар: { $already }.
cli-replicate-from = Серверден серверге (сот серверінде, 23-ереже): осы бапталған орыннан көшіру (server, cassation, supervisory)
cli-replicate-to = …мына орынға (replica)
cli-accept = Мұрағатшының орны: істің дискілерін сот серверіндегі оқиғалар жасалды деп атағанмен салыстыру және қабылдауды сонда қол қойылған оқиға ретінде жазу
cli-accept-case = Істің нөмірі
cli-accept-court = Сот, отырыстар оны қалай атаса (әдепкі — осы компьютердің [court] атауы)
cli-accept-by = Кім қабылдайды (әдепкі — осы компьютердің [operator] аты)
cli-accept-server = Істі қай бапталған сервер сақтайды (server, cassation, supervisory, replica)
cli-accept-html = Істің дискілер тізімдемесін оның оқиғалары бойынша басып шығаруға арналған бет ретінде жазу
cli-accept-json = JSON шығару
cli-accept-discs = Тапсырылған әр диск (тіркелген), көшірілген қалта не бейне; олар болмаса, оқиғалар атаған дискілер көрсетіледі, ештеңе қабылданбайды
accept-event-refused = Сервердегі оқиға есепке алынбайды: { $name }: { $why }
accept-listed = { $label }: { $of } дискінің { $disc }-сі, { $made } жасалған, { $by }
accept-not-of-case = { $path }: сот сервері атаған іс дискілерінің бірі емес
accept-disc-whole = { $path }: { $disc } — бүтін (қолтаңбалар мен әр файл тексерілді)
accept-disc-fails = { $path }: { $disc } — тексерістен өтпейді: { $why }
accept-missing = Жетіспейді: { $label } ({ $of } дискінің { $disc }-сі): { $why }
accept-summary = Бүтін дискілер: { $whole }, жетіспейді: { $missing }.
accept-recorded = Қабылдау сот серверінде жазылды: { $at }
accept-not-recorded = Қабылдауды сот серверінде жазу мүмкін болмады: { $why }. Онда ештеңе өзгертілмеді; пәрменді қайта орындаңыз.
accept-no-server = Сот сервері бапталмаған
accept-no-server-help = Баптауларда сот серверінің мекенжайын көрсетіңіз ([delivery] server), сосын қайта қабылдаңыз.
accept-events-help = Желіні және сот серверінің мекенжайын тексеріп, қайта қабылдаңыз. Ештеңе жазылған жоқ.
accept-no-discs = Сот серверінде { $case } ісінің бірде-бір дискі жоқ
accept-no-discs-help = Дискілер жұмыс орнында жасалып, жіберілгенде тізімге түседі: алдымен істің дискілерін жасаңыз.
accept-not-recorded-title = Қабылдау жазылмады
accept-not-recorded-help = Сот серверінде ештеңе өзгерген жоқ: кілт пен сервер жауап бергенде қайта қабылдаңыз.
cli-cases = Судьяның тізімі: сот серверіндегі оқиғалар бойынша соттың істері (іс, судья, қатысушылар, отырыстар), іздеумен
cli-cases-search = Нөмірінде, судьяның не қатысушының атында, санатында не отырыс күнінде (2026-12-04) осы мәтіннің әр сөзі бар істер ғана
cli-cases-court = Сот, отырыстар оны қалай атаса (әдепкі — осы компьютердің [court] атауы)
cli-cases-server = Қай бапталған серверді оқу (server, cassation, supervisory, replica)
cli-cases-json = JSON шығару
cases-line = { $case } — { $last } — { $judges } — отырыстар: { $sessions }, бөліктер: { $parts } — { $participants }
cases-none = Серверде { $court } сотының сәйкес істері жоқ.
cli-record-judge = Төрағалық етуші судья, хаттама оны қалай атаса
cli-disc-hand-over = Істің дискілерін мұрағатшыға тапсыру: әрқайсысы туралы сот серверіне қол қойылған оқиға жіберіледі
cli-disc-hand-over-case = Істің нөмірі
cli-disc-hand-over-to = Оларды қабылдайтын мұрағатшы
cli-disc-hand-over-json = JSON шығару
disc-handed = { $label } ({ $of } дискінің { $disc }-сі) тапсырылды: { $to }; сот сервері бұл туралы келесі жіберуде біледі
disc-handed-to-nobody = --to дискілерді қабылдайтын мұрағатшыны атайды: ол бос
cli-bench-court = Сот қоймасын ауқымда жазу: синтетикалық бөліктер мен олардың қол қойылған оқиғалары (өлшеу)
cli-bench-court-parts = Қанша бөлік
cli-bench-court-root = Сервер префиксінің орнындағы қалта
cli-record-session = Жаңа отырыс емес, осы ашық отырыстың келесі бөлігін жазу (ауысымнан кейін, жұмыс орнының ортақ деректер қалтасында)
record-session-closed = { $session } отырысы жабық: жабық отырысқа жаңа бөліктер қосылмайды
cli-restore-case = Өңірлік реплика сақтайтын осы істің барлық бөліктері, оның тізімі бойынша: дерекқорын жоғалтқан жұмыс орны үшін
cli-restore-court = Сот, отырыстар оны қалай атаса (әдепкі — осы компьютердің [court] атауы)
cases-title = Соттың істері
cases-title-archivist = Соттың істері: дискілерді қабылдау
cases-refresh = Жаңарту
cases-search = Іс нөмірі, судья, қатысушы, санат немесе күн бойынша іздеу
cases-loading = Соттың істері сот серверінен оқылуда…
cases-empty = Сот серверінде бұл соттың істері әзірге жоқ.
cases-opening = { $case } ісі сот серверінен ашылуда…
cases-accepting = { $case } ісінің дискілері тексерілуде…
cases-refused = Серверде ескерілмеген оқиғалар: { $count } (оларға сенімді кілт қол қоймаған; hattama cases қараңыз).
cases-row = Соңғы отырыс { $last } · отырыстар: { $sessions }, бөліктер: { $parts }
cases-judges = Судья: { $names }
cases-participants = Қатысушылар: { $names }
cases-review = Қарау
cases-accept = Дискілерді қабылдау…
cases-accept-choose = { $case } ісінің дискілері (бейнелері)
cases-accepted = { $case } ісі: барлық дискілер бүтін; қабылдау жазылды
cases-accepted-missing = { $case } ісі: дискілер жетіспейді; қабылдау жетіспейтіндерімен бірге жазылды
cases-accepted-recorded = Сот серверінде жазылды: { $place }
sessions-court-cases = Соттың істері (сервер)
