app-name = Хаттама
app-tagline = Запись судебного заседания и краткий протокол
error-label = Ошибка
details-label = Подробности
starting = Запуск…
court-not-set = Суд и зал ещё не указаны (Настройки)
court-and-hall = { $court }, зал { $hall }
data-folder = Папка данных: { $path }
database-ready = База данных готова (версия схемы { $schema })
recovered-parts = { $count ->
    [one] Восстановлена { $count } прерванная часть
    [few] Восстановлено { $count } прерванные части
   *[other] Восстановлено прерванных частей: { $count }
}
inputs-found = Входы: { $inputs }

## Конфигурация
config-read-failed = Не удаётся прочитать файл настроек { $path }
config-write-failed = Не удаётся сохранить файл настроек { $path }
config-invalid = В файле настроек { $path } неверное значение «{ $key }»
config-io-help = Проверьте, что файл существует и доступен этому пользователю для чтения и записи.
config-invalid-help = Исправьте или удалите этот ключ (у каждого есть значение по умолчанию) и запустите Хаттаму снова.

## Данные и база
data-folder-failed = Не удаётся создать папку данных { $path }
data-folder-help = Проверьте, что папка данных на доступном для записи диске со свободным местом, или укажите другую через --data.
data-folder-read-only = Нет права записи в папку данных { $path }
database-open-failed = Не удаётся открыть базу данных { $path }
database-open-help = Файл оставлен без изменений. Восстановите его из резервной копии или переместите; программа «Хаттама» никогда не удаляет судебные записи.
database-too-new = База данных { $path } записана более новой Хаттамой (схема { $found }, эта версия знает до { $known })
database-too-new-help = Установите более новую версию Хаттамы; эта версия файл не изменит.
database-migration-failed = Не удаётся обновить базу данных до версии схемы { $version }
database-failed = База данных сообщила об ошибке
database-failed-help = Ничего не изменено. Проверьте диск и повторите; если ошибка повторится, сообщите подробности.
part-folder-failed = Не удаётся создать папку записи { $path }

## Запись
demo-requested = Записываются демонстрационные входы, как запрошено.
demo-no-camera = Камера не найдена: вместо неё записывается демонстрационное изображение.
demo-no-microphone = Микрофон не найден: вместо него записывается демонстрационный звук.
demo-camera = Демо-камера
demo-microphone = Демо-микрофон
demo-remote = Демо удалённого участника
demo-overlay = ДЕМО
track-video = Видео
track-mix = Сведение всех входов
recorder-unavailable = Запись недоступна на этом компьютере
recorder-start-failed = Запись не удалось начать
recorder-start-help = Проверьте, что устройства подключены и не заняты другой программой, и повторите.
install-package-help = Установите пакет Debian { $package } (make run устанавливает его) и запустите Хаттаму снова.
profile-invalid = Профиль кодирования { $origin } неверен
profile-invalid-help = Исправьте или удалите файл профиля; встроенные профили работают всегда.
profile-unknown = Профиля кодирования «{ $name }» нет
profile-unknown-help = Известные профили: { $known }.
device-not-found = Устройство «{ $name }» не подключено
device-not-found-help = Подключите его или выберите другое в настройках. Сейчас подключены: { $available }.
no-devices = Нет ни камеры, ни микрофона
no-devices-help = Подключите камеру и микрофон или разрешите демонстрационные входы в настройках.
input-failed = Сбой входа «{ $input }»
input-failed-help = Записанное сохранено. Проверьте кабель и питание устройства.
recording-failed = Сбой записи
recording-write-failed = Запись не удаётся сохранить на диск
recording-write-failed-help = Записанное сохранено. Проверьте диск и права на папку данных.
disk-full = Диск заполнен
disk-full-help = Записанное сохранено. Освободите место на диске (или перенесите старые записи на сервер) перед новой записью.
stop-timeout = Запись не завершилась вовремя
repair-failed = Прерванную запись не удалось восстановить
kept-help = Файл сохранён как есть; большинство проигрывателей воспроизведут его до места обрыва.

## Командная строка
record-started = Запись в { $folder }
record-elapsed = Идёт запись
recover-nothing = Прерванных частей нет.
recover-done = Восстановлено: { $folder } ({ $seconds } с)
recover-failed = Не удалось восстановить { $folder }: { $error } (файл сохранён)
devices-none = Камеры и микрофоны не найдены.
device-camera = камера
device-microphone = микрофон
cli-about = Запись судебного заседания с кратким протоколом с отметками времени. Без команды открывает окно.
cli--config = Файл настроек (по умолчанию — в папке настроек пользователя)
cli--data = Папка данных для базы и записей (по умолчанию — папка данных пользователя)
cli--session = Открыть при запуске экран этого заседания (его номер)
cli--review = Открыть при запуске просмотр диска, образа диска (.iso) или папки
cli-record = Записать часть заседания и вывести её папку
cli-record-demo = Записывать демонстрационные входы вместо настроенных устройств
cli-record-cameras = Сколько демонстрационных камер (с --demo; одна картинка, рядом)
cli-record-microphones = Сколько демонстрационных микрофонов (с --demo; по дорожке на каждый)
cli-record-seconds = Остановить через столько секунд (иначе по Ctrl+C или SIGTERM)
cli-record-case = Номер дела, к которому относится заседание
cli-record-profile = Профиль кодирования (по умолчанию — из настроек)
cli-record-json = Вывести один объект JSON с описанием части
cli-devices = Показать найденные камеры и микрофоны
cli-devices-json = Вывести JSON
cli-recover = Завершить все части, прерванные сбоем или отключением питания
cli-recover-json = Вывести JSON
cli-verify = Проверить подписанные записи: SHA-256 каждого файла, подпись, цепочку хешей протокола
cli-verify-path = Папка части, папка со многими частями или смонтированный диск
cli-verify-centres = Сертификат удостоверяющего центра (PEM), по которому проверять CMS-подпись суда, вместо сертификатов этого компьютера; можно повторять
cli-verify-trust = Доверенные открытые ключи (файлы .pub minisign подряд; по умолчанию — этого компьютера)
cli-verify-json = Вывести JSON
cli-check = Ежедневная проверка оборудования: камеры, микрофоны, диск, ключ подписи, серверы (сохраняется; неуспех, если шаг не пройден)
cli-check-by = Кто проводит проверку (по умолчанию — оператор из настроек)
cli-check-html = Также записать проверку как страницу для печати (HTML)
cli-check-json = Вывести JSON
verify-nothing = Нет подписанных записей (manifest.json) в { $path }.
verify-ok = Проверено: частей — { $count }, все проверки пройдены.
verify-failed = НЕ ПОДТВЕРЖДЕНО: частей с ошибками — { $count } (см. FAILED выше).
cli-bench-seal = Измерить время от остановки до подписи для части такой длины (замер)
cli-bench-seal-minutes = Длина части в минутах
cli-bench-review = Измерить время от открытия части до первого кадра и от щелчка по записи до её кадра (замер)
cli-bench-review-part = Папка части
cli-bench-review-seeks = Сколько моментов искать
cli-bench-review-opens = Затем открыть часть столько раз, считая зависшие открытия
cli-bench-stream = Измерить просмотр судьёй длинной части с сервера суда (замер)
cli-bench-stream-long = Папка файлов записи, которые получает последняя часть здесь
cli-bench-stream-root = Префикс сервера суда как папка, которую обслуживает его S3-сервер
cli-bench-stream-seeks = Сколько моментов искать
cli-bench-entries = Измерить, за сколько запись протокола становится сохранённой во время записи (замер)
cli-bench-entries-interval_ms = Миллисекунд между записями
cli-bench-entries-count = Сколько записей сделать
cli-bench-entries-say = Печатать каждую запись, как только хранилище её приняло (тесты отключения питания)

## Заседание, участники, протокол
category-civil = Гражданское
category-criminal = Уголовное
category-administrative = Административное
role-plaintiff = Истец
role-defendant = Ответчик
role-accused = Подсудимый
role-victim = Потерпевший
role-prosecutor = Прокурор
role-lawyer = Адвокат
role-representative = Представитель
role-third-party = Третье лицо
role-witness = Свидетель
role-expert = Эксперт
role-specialist = Специалист
role-interpreter = Переводчик
role-other = Иной участник
instance-first = Первая инстанция
instance-appellate = Апелляционная инстанция
instance-cassation = Кассационная инстанция
instance-supervisory = Надзорная инстанция
kind-note = Запись
kind-session-opened = Открытие заседания
kind-attendance = Явка
kind-remote-identity = Личность по ВКС установлена
kind-rights-explained = Права разъяснены
kind-petition-filed = Заявлено ходатайство
kind-petition-decided = Ходатайство разрешено
kind-witness-questioned = Допрос свидетеля
kind-expert-heard = Заслушан эксперт
kind-recess = Перерыв
kind-resumed = Продолжение
kind-decision-announced = Оглашено решение
kind-addendum = Дополнение (исправление)
kind-session-closed = Закрытие заседания
entry-session-opened = Председательствующий открыл судебное заседание.
entry-attendance = Проверена явка участников процесса.
entry-remote-identity = Председательствующий установил личность { $name } ({ $role }) по месту нахождения — { $location } — и факт участия посредством видеоконференцсвязи.
entry-remote-identity-unnamed = Председательствующий установил личность участника по месту его нахождения и факт участия посредством видеоконференцсвязи.
entry-rights-explained = Участникам процесса разъяснены их процессуальные права и обязанности.
entry-petition-filed = Заявлено ходатайство.
entry-petition-decided = Суд разрешил ходатайство.
entry-witness-questioned = Допрошен свидетель.
entry-witness-questioned-named = Допрошен свидетель { $name }.
entry-expert-heard = Заслушан эксперт.
entry-expert-heard-named = Заслушан эксперт { $name }.
entry-recess = Объявлен перерыв.
entry-resumed = Судебное заседание продолжено.
entry-decision-announced = Оглашено решение.
entry-session-closed = Председательствующий закрыл судебное заседание.
session-closed-error = Это заседание закрыто
session-closed-error-help = Закрытое заседание нельзя записывать и дополнять. Откройте новое заседание по делу.
entry-sealed-error = Запись опечатана и не может быть изменена
entry-sealed-error-help = Внесите исправление в виде дополнения.

## Форматы (шаблоны chrono)
date-format = %d.%m.%Y
time-format = %H:%M:%S
date-time-format = %d.%m.%Y %H:%M

## Окно: первая настройка и настройки
setup-title = Настройка рабочего места
setup-intro = Программе «Хаттама» нужно знать, где идёт запись. Всё это можно изменить позже в настройках.
settings-title = Настройки
field-court-name = Суд
field-court-name-placeholder = Полное наименование суда
field-hall = Номер зала судебных заседаний
field-instance = Инстанция
field-language = Язык интерфейса
language-system = Как в системе
language-kk = Қазақша
language-ru = Русский
language-en = English
field-operator = Ваше имя (секретарь)
field-utc-offset = Часовой пояс (смещение от UTC, например +05:00)
field-profile = Качество записи
field-cameras = Камера
field-microphones = Микрофон
field-remote-audio = Звук удалённых участников (ВКС)
devices-all = Все найденные
devices-none-chosen = Нет
field-demo = Записывать демонстрационные источники, если камеры или микрофона нет
setup-save = Начать работу
settings-save = Сохранить
settings-back = Назад
setup-missing = Укажите суд и номер зала.
settings-offset-invalid = Часовой пояс указывается как +05:00.
settings-saved = Настройки сохранены.
settings-devices-note = Найдено устройств: { $count }. Изменения действуют со следующей записи.

## Окно: заседания
sessions-title = Судебные заседания
sessions-search = Поиск по номеру дела или имени
sessions-new = Новое заседание
sessions-settings = Настройки
sessions-empty = Заседаний пока нет. Откройте первое кнопкой «Новое заседание».
sessions-none-found = Нет заседаний по запросу «{ $query }».
sessions-today = Сегодня
sessions-earlier = Ранее
session-open = Открыто
session-closed = Закрыто
session-parts = { $count ->
    [one] { $count } часть
    [few] { $count } части
   *[other] { $count } частей
}
session-judge = Судья { $name }
session-remote = ВКС

## Окно: новое заседание
new-session-title = Новое судебное заседание
field-case-number = Номер дела
field-case-number-placeholder = например 2-1234/2026
field-category = Категория
field-judge = Председательствующий судья
field-secretary = Секретарь судебного заседания
participants-title = Участники
participant-name = Фамилия, имя, отчество
participant-role = Процессуальное положение
participant-remote = По видеоконференцсвязи
participant-location = Откуда (суд, учреждение, адрес)
participant-add = Добавить участника
participant-remove = Удалить
new-session-create = Открыть заседание
new-session-cancel = Отмена
new-session-missing-case = Укажите номер дела.
new-session-missing-judge = Укажите председательствующего судью.
new-session-missing-name = У каждого участника должно быть имя.
new-session-missing-location = Укажите, откуда участвует { $name }.

## Окно: заседание
indicator-recording = ● ИДЁТ ЗАПИСЬ
indicator-starting = ЗАПИСЬ ЗАПУСКАЕТСЯ…
indicator-stopping = ЗАПИСЬ ЗАВЕРШАЕТСЯ…
indicator-idle = ЗАПИСЬ НЕ ИДЁТ
indicator-recess = ПЕРЕРЫВ — ЗАПИСЬ НЕ ИДЁТ
indicator-closed = ЗАСЕДАНИЕ ЗАКРЫТО
record-button = Запись
record-key = Ctrl+R
stop-button = Стоп
recess-button = Перерыв
resume-button = Продолжить
elapsed-part = Часть { $part }
back-to-sessions = Заседания
input-remote-label = { $name } — удалённый участник (ВКС)
demo-inputs-warning = Демонстрационные источники: это не запись зала.
protocol-title = Краткий протокол
protocol-empty = Записей пока нет. Наберите текст и нажмите Enter или используйте F1–F12.
protocol-placeholder = Наберите запись и нажмите Enter
protocol-before-recording = вне записи
speaker-label = Говорит
speaker-none = Не указан
speaker-keys = Ctrl+1…9 — выбрать говорящего, Ctrl+0 — никого
entry-corrected = исправлено
entry-addendum = Дополнить
entry-correct = Исправить
entry-save = Сохранить
entry-cancel = Отмена
hotkeys-title = Готовые записи
no-remote-participant = В этом заседании никто не участвует по видеоконференцсвязи.
remote-pick-speaker = По видеоконференцсвязи участвуют несколько человек: выберите того, чья личность установлена, как выступающего (Ctrl+цифра) и снова нажмите F3.
confirm-stop-title = Закрыть заседание?
confirm-stop-body = Запись остановится, заседание будет закрыто и продолжить его будет нельзя. Для перерыва выберите «Перерыв».
confirm-stop-close = Закрыть заседание
confirm-stop-recess = Лучше перерыв
confirm-continue = Продолжить запись
confirm-exit-title = Идёт запись заседания
confirm-exit-body = Программа «Хаттама» корректно завершит запись перед закрытием. Заседание останется открытым, его можно будет продолжить.
confirm-exit-yes = Завершить запись и выйти
exiting = Запись завершается перед закрытием…
copy-details = Копировать подробности
dismiss = Скрыть
session-closed-note = Заседание закрыто; протокол показан в том виде, в каком записан.

## Подпись
seal-key-failed = Нельзя использовать ключ подписи { $path }
seal-random-failed = Нет случайных чисел для нового ключа подписи
seal-key-help = Проверьте папку данных (ключ должен читать только этот пользователь); без ключа записи сохраняются, но не подписываются.
seal-malformed = Это не подпись и не открытый ключ
seal-unknown-key = Подписано ключом, которого нет в списке доверенных
seal-bad-signature = Подпись не совпадает: файл изменён после подписания
seal-verify-help = Не полагайтесь на эту копию: запросите в суде подлинную запись и её открытый ключ.
doc-title = КРАТКИЙ ПРОТОКОЛ СУДЕБНОГО ЗАСЕДАНИЯ
doc-court = Суд
doc-hall = Зал
doc-instance = Инстанция
doc-case = Дело
doc-session = Заседание
doc-category = Категория
doc-judge = Председательствующий
doc-secretary = Секретарь судебного заседания
doc-participants = Участники
doc-remote = по видеоконференцсвязи из
doc-entries = Записи (часть·время записи, местное время, вид, текст)
doc-not-recorded = не записано
doc-chain-head = Вершина цепочки хешей SHA-256
seal-write-failed = Не удалось записать файл подписи { $path }
seal-cms-failed = Сертификат суда не может подписать эту печать
seal-cms-help = Проверьте раздел [signing] настроек: файл PKCS#12, файл с его паролем и что сертификат действует сегодня. Часть остаётся неопечатанной и будет опечатана, как только сертификат снова сможет подписать (при следующем запуске).
seal-state-sealed = ✓ Подписано
seal-state-recovered = ✓ Подписано (восстановлено после сбоя: { $count })
seal-state-unsealed = ✗ Не подписано частей: { $count }
seal-check = Проверить
seal-checking = Проверка…
seal-check-ok = ✓ Подтверждено: все файлы, подпись и цепочка протокола в порядке.
seal-check-failed = ✗ НЕ ПОДТВЕРЖДЕНО: { $what }
seal-check-folder = Проверить папку или диск…
seal-check-image = Проверить образ диска…
seal-check-none = В { $path } нет подписанных записей.
seal-check-folder-ok = ✓ { $path }: подтверждено частей — { $count }.
seal-check-folder-failed = ✗ { $path }: не прошли { $failed } из { $count } — { $what }
seal-key-label = Ключ подписи { $id }
settings-key-title = Ключ подписи (подписывает каждую запись)
settings-key-export = Сохранить открытый ключ…
settings-key-exported = Открытый ключ сохранён в { $path }.

## The case disc
disc-media-cd = CD-R 700 МБ
disc-media-dvd = DVD±R 4,7 ГБ
disc-media-dvd-dl = DVD+R DL 8,5 ГБ
disc-media-bd = BD-R 25 ГБ
disc-nothing-sealed = В деле { $case } нет подписанных записей для копирования
disc-nothing-sealed-help = Проверьте номер дела; часть подписывается, когда заканчивается, а прерванная — при следующем запуске программы «Хаттама».
disc-part-too-large = Часть заседания не помещается на { $media }
disc-part-too-large-help = Выберите диск большего объёма (DVD, DVD DL или BD).
disc-damaged = Запись в { $folder } не совпадает со своей подписью
disc-damaged-help = Ничего не скопировано. Проверьте часть (hattama verify) и восстановите её с сервера суда, прежде чем делать диск.
disc-read-failed = Не удаётся прочитать { $path }
disc-layout-failed = Не удаётся разместить образ диска
disc-write-failed = Не удаётся записать образ диска { $path }
disc-write-help = Проверьте папку и свободное место в ней; под именем образа ничего не оставлено.
disc-cancelled = Создание образа диска отменено
disc-cancelled-help = Под именем образа ничего не оставлено.
disc-checking = Проверка записей по их подписям
disc-writing = Запись образа
disc-left = осталось { $seconds } с
disc-unsealed = Не на диске (не подписана): заседание { $session }, часть { $part }
disc-built = { $path }: диск { $disc } из { $of }, { $label }, { $size } байт
disc-readme =
    ДИСК ДЕЛА — { $court }
    Дело { $case }, диск { $disc } из { $of } ({ $label }).

    На диске — подписанные записи судебных заседаний по делу:
    { $parts }
    Каждая папка — одна часть заседания (запись до перерыва или до конца): видео и звук
    (recording-001.mkv, а для длинной части ещё recording-002.mkv, …), только звук
    (audio.opus), краткий протокол (protocol.txt) и его подпись.

    Просмотр: откройте recording-001.mkv в любом проигрывателе (VLC, mpv, Windows Media
    Player с обычными кодеками). Время в protocol.txt — это время проигрывателя.

    Проверка, что ничего не изменено, стандартными средствами (minisign, sha256sum):
      cd { $example }
      { $sums }
      minisign -Vm manifest.json -p { $key }
    Если в папке есть manifest.json.p7s, её подписал и собственный сертификат суда (CMS);
    проверка openssl и сертификатом удостоверяющего центра (ca.pem):
      openssl cms -verify -binary -inform DER -in manifest.json.p7s -content manifest.json -CAfile ca.pem -out /dev/null
    Список файлов диска (INVENTORY.json) подписан так же:
      minisign -Vm INVENTORY.json -p { $inventory_key }
    Или программой «Хаттама»: hattama verify <этот диск или его образ>.
cli-disc = Диск дела: образы CD/DVD/BD подписанных записей дела
cli-disc-build = Создать образ диска дела (нумерованный набор, если не помещается на один диск)
cli-disc-build-case = Номер дела
cli-disc-build-out = Файл образа (набор нумеруется рядом: ИМЯ-1of2.iso, …)
cli-disc-build-media = Для какой болванки: cd (700 МБ), dvd (4,7 ГБ), dvd-dl (8,5 ГБ), bd (25 ГБ)
cli-disc-build-json = Вывести JSON
cli-disc-build-force = Заменить образ, ранее сделанный Хаттамой под этим именем (другой файл не заменяется никогда)
disc-burn-failed = Не удалось записать диск
disc-burn-failed-help = Проверьте, что в приводе чистый диск нужного типа, и повторите; образ сохранён для новой попытки или другого привода.
disc-no-drive = Оптический привод не найден. Образ сохранён: { $path }. Запишите его на другом компьютере и проверьте там: hattama verify { $path }
disc-burning = Запись диска
disc-reading-back = Чтение диска для сверки
disc-burn-match = { $drive }: диск совпадает с образом (SHA-256 { $sha256 })
disc-burn-differs = { $drive }: ДИСК НЕ СОВПАДАЕТ С ОБРАЗОМ: { $summary }
disc-drives-none = Оптический привод не найден.
cli-disc-drives = Список оптических приводов
cli-disc-drives-json = Вывести JSON
cli-disc-burn = Записать образ на диск, прочитать и сверить, записать результат в опись дела
cli-disc-burn-image = Образ для записи (создан hattama disc build)
cli-disc-burn-drive = Привод (из hattama disc drives; stdio:ФАЙЛ пишет в файл, как привод); по умолчанию — единственный найденный
cli-disc-burn-json = Вывести JSON
cli-disc-build-capacity = Сколько байт вмещает диск (для тестов)
disc-inventory-line = { $label } · диск { $disc } из { $of } · создан { $made }, { $by } · { $burned }
disc-inventory-burned-match = записан и сверен с образом
disc-inventory-burned-differs = записан, но прочитанное отличается: { $detail }
disc-inventory-not-burned = ещё не записан
disc-inventory-title = Опись дисков дела
disc-inventory-case = Дело
disc-inventory-label = Метка тома
disc-inventory-disc = Диск
disc-inventory-media = Носитель
disc-inventory-sessions = Заседания
disc-inventory-size = Байт
disc-inventory-contents = Содержимое (SHA-256 файла INVENTORY.json)
disc-inventory-made = Создан
disc-inventory-by = Кем
disc-inventory-burned = Записан и сверен
disc-inventory-check = Проверка диска: hattama verify <диск или образ>, или minisign и sha256sum, как сказано в его README.txt.
disc-inventory-none = Дисков по делу { $case } не создано.
cli-disc-inventory = Вывести опись дисков дела (текстом или страницей для печати)
cli-disc-inventory-case = Номер дела
cli-disc-inventory-html = Записать страницу для печати (HTML) в этот файл
cli-disc-inventory-json = Вывести JSON
session-disc-copy = Копия на диск
disc-title = Копия дела { $case } на диск
disc-media = Болванка:
disc-folder = Образы сохраняются в { $folder }
disc-choose-folder = Выбрать папку…
disc-planning = Расчёт…
disc-planned = Диск { $disc } из { $of }: { $label }, { $megabytes } МБ, частей заседаний: { $parts }
disc-build = { $count ->
    [one] Создать образ
   *[other] Создать образы ({ $count })
}
disc-disc = Диск
disc-cancel = Отменить
disc-images-ready = { $count ->
    [one] Образ готов и внесён в опись дела.
   *[other] Образы готовы ({ $count }) и внесены в опись дела.
}
disc-drive = Привод:
disc-drives-none-window = На этом компьютере нет оптического привода: образы сохранены для записи на другом, каждый проверяется командой hattama verify.
disc-burn = Записать и сверить
disc-burning-progress = Запись: { $done } / { $total } МБ
disc-save-page = Сохранить страницу описи…
disc-page-saved = Страница описи сохранена: { $path }
deliver-pass = Доставлено { $delivered }, к повтору { $retrying }, отклонено { $failed }, ждут настройки { $waiting }.
deliver-busy = Из этой папки данных уже отправляет другой процесс программы «Хаттама» (окно или hattama deliver); он отправит то, что пора.
cli-deliver = Отправить содержимое исходящей очереди (протоколы в ҚР СО БААТЖ) и отправлять дальше по мере срока
cli-deliver-once = Один проход и выход
cli-deliver-json = Вывести JSON
cli-man-pages = Записать страницы руководства (man) в папку (для пакета)
cli-man-pages-out = Папка, куда их записать
cli-man-pages-failed = Не удалось записать страницы руководства в { $folder }: { $error }
cli-receiver = Эталонный приёмник кратких протоколов (docs/baatzh.md)
cli-receiver-listen = Адрес для приёма
cli-receiver-store = Папка для полученного
cli-receiver-token = Требуемый токен
delivery-delivered = Протокол получен ҚР СО БААТЖ в { $at }
delivery-retry = Отправить снова
cli-deliver-retry_failed = Отправить снова отклонённые (после устранения причины)
upload-delivered = Загружено на сервер записей суда в { $at }, проверено там
replicate-not-configured = Реплика не настроена ([delivery] replica в файле настроек).
replicate-done = Реплика: новых частей в очереди { $queued }; скопировано и проверено там { $copied } из { $total }.
restore-failed-title = Не удалось вернуть часть с реплики
restore-failed-help = Здесь ничего не изменено. Проверьте адрес и ключи реплики в настройках или узнайте в областном суде, есть ли часть на его сервере.
restore-from-replica = Восстановить с реплики
restoring = Часть возвращается с реплики и проверяется…
restore-whole = { $folder }: здесь целая, восстанавливать нечего.
restore-done = { $folder }: восстановлена с реплики (файлов: { $files }, подпись и хеши проверены); повреждённая копия сохранена рядом.
cli-replicate = Скопировать на региональную реплику каждую подписанную часть, которой там ещё нет, с проверкой хеша
cli-replicate-json = Вывести JSON
cli-restore = Вернуть части заседания с реплики, если местная копия утрачена или повреждена
cli-restore-session = Номер заседания
cli-restore-json = Вывести JSON
outbox-retrying = Ещё не в { $target }: следующая попытка в { $at } ({ $error })
outbox-failed = { $target } отклонил(а): { $error }
outbox-pending = Ждёт отправки в { $target } (уйдёт, когда настроено и доступно)
target-baatzh = ҚР СО БААТЖ
target-server = сервер записей суда
target-archive = СҚЭМ (электронный архив)
target-replica = региональная реплика
archive-delivered = Звук с подписью в СҚЭМ с { $at }, проверен там
replica-delivered = Скопировано на региональную реплику в { $at }, проверено там

## Просмотр: протокол рядом с записью
player-no-recording = У этой части нет файлов записи
player-failed = Запись не воспроизводится
player-failed-help = Проверьте часть (Проверить) и установите модули GStreamer (это делает make run); протокол остаётся доступным для чтения.
player-track = Дорожка { $number }
clip-range = Начало и конец фрагмента заданы неверно
clip-range-help = Начало должно быть раньше конца, оба — в пределах части.
clip-failed = Фрагмент не удалось записать
clip-failed-help = Незаконченных файлов не осталось. Проверьте часть и свободное место там, куда пишется фрагмент, и повторите.
review-nothing-sealed = В { $path } не найдено ничего опечатанного
review-unreadable = Не удаётся прочитать { $path }
review-image-unreadable = Не удаётся прочитать образ диска { $path }
review-open-help = Выберите диск, образ диска (.iso) или папку, скопированную с него: папку заседания или части.
session-review = Просмотр
sessions-from-disc = С диска или копии:
review-open-folder = Просмотреть диск или папку…
review-open-image = Просмотреть образ диска…
review-title = Дело { $case } · заседание { $session }
review-source-database = Из записей этого суда
review-source-folder = Прочитано из { $path } (без базы данных)
review-source-server = Воспроизводится с сервера суда: { $place } (целиком не скачивается)
review-part = Часть { $number }
review-part-seal = Часть { $number }: { $state }
review-seal-checking = проверяется печать…
review-seal-verified = опечатана и проверена
review-seal-recovered = опечатана и проверена; запись прерывалась и восстановлена
review-seal-unsealed = ещё не опечатана: за эту запись ничто не ручается
review-seal-failed = ПРОВЕРКА НЕ ПРОЙДЕНА ({ $what }); запись воспроизводится, но эта копия не такая, как при опечатывании
review-seal-streaming = печать проверена (подпись, файлы, размеры); каждый байт сверяется с печатью по мере воспроизведения
stream-server = Сервер суда недоступен
stream-server-help = Проверьте сеть, а также адрес и ключи сервера в настройках (Доставка); поможет администратор суда.
stream-no-parts = На сервере суда нет опечатанных частей дела { $case }
stream-mount = Дело нельзя показать с сервера на этом компьютере
stream-mount-help = Установите fuse3 (пакет от него зависит) и проверьте, что есть /dev/fuse; или восстановите часть (hattama restore) и просмотрите её оттуда.
stream-refused = Ни одна часть дела { $case } на сервере суда не соответствует своей печати
stream-unreadable = Дело на сервере суда не читается
stream-changed = { $file } на сервере суда отличается от опечатанного
stream-changed-help = Воспроизведение остановлено: копия на сервере изменена или повреждена. Сообщите администратору суда; часть можно восстановить с регионального сервера (hattama restore).
review-check-stopped = проверка не завершилась
review-opening = Запись открывается…
review-no-picture = Нет изображения
review-play = ▶ Воспроизвести
review-pause = Пауза
review-back-minute = −1 мин
review-back-10 = −10 с
review-ahead-10 = +10 с
review-ahead-minute = +1 мин
review-track = Звук
review-volume = Громкость
review-clip = Фрагмент:
review-clip-here = отсюда
review-clip-export = Выгрузить фрагмент…
review-clip-where = Куда сохранить фрагмент?
review-clip-done = Фрагмент записан и подписан: { $folder }
review-keys = Пробел или K — пуск/пауза · ←/→ или J/L ∓10 с · Shift+←/→ ∓1 мин · [ ] скорость · - + громкость · T звук · PgUp/PgDn часть · ↑/↓ запись · Enter — воспроизвести её · Ctrl+F поиск · Esc назад
review-search = Поиск по протоколу
review-any-kind = Любой вид
review-any-speaker = Любой участник
review-clear = Сбросить
review-found = Записей: { $shown } из { $all }
review-no-entries = В протоколе нет записей.
review-none-found = Ничего не найдено.
review-addendum = ↳ дополнение { $time }: { $text }
review-not-recorded = Эта запись сделана, когда ничего не записывалось.
review-write-addendum = Написать дополнение к этой записи…

## Ежедневная проверка оборудования (п. 7, 11, 17)
check-camera = Камера
check-microphone = Микрофон
check-remote-audio = Звук видеоконференции
check-disk = Свободное место на диске
check-key = Ключ подписи суда
check-role-head-of-office = заведующий канцелярией
check-role-service-organisation = сотрудник обслуживающей организации
check-device-missing = { $name } не подключено (указано в настройках, но не найдено)
check-no-camera = Камера не найдена
check-no-microphone = Микрофон не найден
check-remote-not-configured = Вход видеоконференции не настроен (recording.remote_audio)
check-no-picture = Изображение не поступает
check-picture-black = Изображение чёрное (закрыта, выключена или нет сигнала)
check-picture-frozen = Изображение застыло (всё время один кадр)
check-picture-live = Живое изображение (кадров: { $frames })
check-kept-unreadable = Шаги этой сохранённой проверки не читаются (строка базы данных повреждена): { $reason }
check-no-folder = Нет такой папки: { $path }
check-no-answer = Нет ответа за { $seconds } с
check-record = Сохранённая проверка
check-no-sound = Звук не поступает
check-sound = Звук поступает (пик { $peak } дБFS); скажите что-нибудь, чтобы услышать
check-disk-enough = Свободно { $free } ГБ, на рабочий день нужно { $needed } ГБ
check-disk-short = Свободно только { $free } ГБ: на рабочий день нужно { $needed } ГБ
check-key-ok = Подписывает, подпись проверяется (ключ { $id })
check-not-configured = Не настроено
check-reachable = Отвечает
check-folder-missing = Папки нет
check-heading = Ежедневная проверка оборудования, проводит { $by } ({ $role }):
check-passed = Все шаги пройдены.
check-failed = Не пройдено шагов: { $count }.
check-run = Проверка оборудования
check-running = Проверяются камеры, микрофоны, диск, ключ и серверы…
check-not-done-today = Сегодняшняя проверка оборудования не проведена (п. 7). Запись это не останавливает.
check-today-failed = Сегодняшняя проверка оборудования выявила неисправностей: { $count } ({ $what }).
check-page-title = Ежедневная проверка средств аудио-, видеозаписи
check-page-hall = зал { $hall }
check-page-step = Шаг
check-page-detail = Результат
check-page-signature = Подпись
check-save-page = Сохранить страницу…
check-page-saved = Страница сохранена: { $path }
disk-low = Место на диске заканчивается: осталось { $free } ГБ. Запись продолжается; если диск почти заполнится, часть будет остановлена и опечатана сама. Сообщите заведующему канцелярией.
disk-stopped = Часть остановлена и опечатана, потому что диск почти заполнен ({ $why }).

## Incidents during a session (rules 27–29)
kind-incident = Неисправность оборудования
kind-technical-act = Технический акт
input-lost-overlay = НЕТ СИГНАЛА: { $name } — с { $since }
incident-input-stopped = { $name }: сигнал пропал
incident-input-error = { $name }: сбой устройства
incident-microphone-silent = { $name }: микрофон молчит
incident-disk-nearly-full = Диск почти заполнен: запись остановлена и подписана
incident-write-error = Запись не удалось сохранить на диск
incident-back = { $name }: сигнал восстановлен
incident-began-line = НЕИСПРАВНОСТЬ в { $at }: { $what } ({ $details }). Остальные входы продолжают запись.
incident-ended-line = Неисправность устранена в { $at }: { $what }.
notify-subject = Хаттама: { $court }, { $hall }: { $what }
notify-body = { $what }.
    Суд: { $court }, зал: { $hall }.
    Дело { $case }, часть { $part }, с { $started }.
    Подробности: { $details }
notify-deadline = Координатор областного суда сообщает причину координатору Департамента до { $due } (правило 28: в течение одного часа).
act-incomplete = В акте нужны причина и кто её подтвердил
act-incomplete-help = Впишите причину, подтверждённую координатором или сервисной организацией, и имя подтвердившего.
act-already = На эту неисправность акт уже составлен
act-already-help = Составленный акт входит в подписанный протокол; исправление — дополнением к нему.
act-write-failed = Не удалось записать страницу акта
act-not-ended = не устранена к концу части
act-title = Технический акт №{ $number }
act-signature-drawn = Составил
act-signature-confirmed = Причину подтвердил
act-text = ТЕХНИЧЕСКИЙ АКТ №{ $number } (правило 29)
    Суд: { $court }, зал { $hall }. Дело { $case }, часть { $part }.
    Неисправность: { $what } ({ $details }).
    С { $started } по { $ended }.
    Причина: { $cause }
    Причину подтвердил: { $confirmed }
    Составил { $by }, { $at }.
incidents-title = { $count ->
    [one] Неисправность оборудования в этом заседании
    [few] { $count } неисправности оборудования в этом заседании
   *[other] { $count } неисправностей оборудования в этом заседании
}
incident-now = сейчас
incident-report-due = Координатор областного суда сообщает причину координатору Департамента до { $due } (осталось { $minutes } мин, правило 28).
incident-report-overdue = Час на сообщение координатора областного суда истёк в { $due } (правило 28).
act-draw-up = Технический акт…
act-form-title = Технический акт по неисправности №{ $number } (правило 29)
act-cause = Причина, как она подтверждена
act-confirmed-by = Кто подтвердил (имя, должность)
act-save = Составить и приложить
act-drawn-up = Технический акт №{ $number } составлен, приложен к протоколу и подписан.
act-save-page = Сохранить страницу акта…
act-page-saved = Страница акта сохранена в { $path }.
check-spoken-into = Проверка голосом и прослушивание
check-spoken = Речь дошла (пик { $peak } dBFS) и была услышана при воспроизведении
check-not-spoken = Во время речи в микрофон не пришло ничего достаточно громкого (пик { $peak } dBFS)
check-not-heard-back = Речь дошла (пик { $peak } dBFS), но при воспроизведении не была услышана
check-guided-skipped = Проверяющий не выполнил этот шаг
check-playback-timeout = Воспроизведение не завершилось
check-guided-title = Проверьте голосом каждый микрофон: { $done } из { $total }
check-guided-speak = Нажмите «Слушать» и говорите в «{ $name }» { $seconds } секунды. Запись сразу будет воспроизведена.
check-guided-listen = Слушать
check-guided-listening = Слушаю… говорите в «{ $name }»
check-guided-heard = Пик { $peak } dBFS, воспроизведено. Вы услышали?
check-guided-yes = Услышал(а)
check-guided-no = Не услышал(а)
check-guided-skip = Пропустить
check-guided-finish = Завершить проверку
incident-recording-interrupted = Запись прервалась, не будучи завершённой (восстановлена позже)

act-waits-for-end = акт — после устранения неисправности
act-due = акт до { $due }
act-overdue = срок акта истёк ({ $due })
act-drawn-up-at = акт составлен { $at }, составил: { $by }
incidents-none = Нет неисправностей, ожидающих технического акта.
incidents-line = №{ $number }  { $when }  { $case }: { $what } — { $act }
act-sealed-anew = Технический акт №{ $number } составлен и приложен к протоколу; часть подписана заново: { $folder }
cli-incidents = Неисправности и их технические акты (правило 29)
cli-incidents-list = Вывести неисправности, ожидающие технического акта, со сроком
cli-incidents-list-all = Все неисправности, и с составленным актом
cli-incidents-list-json = Вывести JSON
cli-incidents-act = Составить технический акт неисправности, приложить к протоколу и подписать часть заново
cli-incidents-act-id = Номер неисправности (из hattama incidents list)
cli-incidents-act-cause = Причина, как она подтверждена
cli-incidents-act-confirmed_by = Кто подтвердил (имя, должность)
cli-incidents-act-by = Кто составляет (по умолчанию — оператор из настроек)
cli-incidents-act-json = Вывести JSON
act-no-incident = Неисправности №{ $number } нет
act-no-incident-help = hattama incidents list --all выводит все неисправности с их номерами.
acts-awaiting = { $count ->
    [one] { $count } неисправность ждёт технического акта (правило 29):
    [few] { $count } неисправности ждут технического акта (правило 29):
   *[other] { $count } неисправностей ждут технического акта (правило 29):
}
acts-awaiting-more = … и ещё { $count } (все выводит hattama incidents list)

## Where a chosen path may be written (output.rs)
output-inside-data = { $path } находится в папке данных Хаттамы
output-inside-data-help = Туда пишет только сама Хаттама (там база данных, записи и ключи). Выберите другую папку.
output-exists = { $path } уже существует
output-exists-help = Существующий файл никогда не заменяется: выберите новое имя или другую папку.
output-ours = { $path } — образ диска, сделанный Хаттамой ранее
output-ours-help = Выберите новое имя или замените этот образ намеренно с --force.
output-failed = Не удаётся записать { $path }
output-failed-help = Проверьте, что папка существует, доступна для записи и в ней есть место.

## Benchmarks never touch a court's data (cli.rs)
bench-needs-own-data = Замер работает только в своей папке данных: укажите --data с новой папкой.
bench-refuses-data = В { $folder } есть данные, сделанные не замером: замер никогда не пишет и не подписывает в папке данных суда. Укажите --data с новой папкой.

## The daily check's steps that must be able to fail (check.rs)
check-sound-silent = Цифровая тишина (пик { $peak } dBFS): вход не даёт никакого звука (выключен, неисправен или отсоединён)
check-key-lost = Ключ, которым здесь подписано частей: { $count }, отсутствует: новым он не заменяется; восстановите его из копии
check-file-open = { $path } доступен для чтения другим пользователям этого компьютера
check-certificate = Сертификат суда (CMS)
check-certificate-ok = Подписывает: { $who }; до замены осталось дней: { $days }
check-secrets = Секреты в настройках
check-secrets-open = В { $path } есть токены, ключи или пароли, и его может прочитать любой пользователь компьютера: chmod o-r (свой файл пользователя: chmod 600)
check-secrets-closed = Доступны только тем, для кого они
check-token-refused = Токен отклонён (HTTP { $status })
check-not-there = По этому адресу ничего не принимает (HTTP { $status })
check-server-failing = Сервер отвечает ошибкой (HTTP { $status })
check-webhook = Вебхук о неисправностях
check-mail = Почтовый сервер
check-mail-refused = Почтовый сервер не принимает соединение
check-status-target = Состояние зала для портала
cli-keys = Цепочка доверия суда: его корневой ключ, сертификаты ключей залов, отзывы, список доверия
cli-keys-init-court = Создать корневой ключ (суда или уполномоченного органа) в новой папке; хранить вне сети
cli-keys-init-court-out = Новая папка для court-root.key и court-root.pub
cli-keys-init-court-json = Вывести JSON
cli-keys-certify = Заверить ключ зала корневым ключом суда (key-certificate.json и его .minisig)
cli-keys-certify-root = Папка с корневым ключом суда
cli-keys-certify-public = Открытый ключ зала (hattama.pub из папки ключей)
cli-keys-certify-court = Суд, как его называет сертификат
cli-keys-certify-hall = Зал судебных заседаний
cli-keys-certify-instance = Инстанция: first, appellate, cassation или supervisory
cli-keys-certify-from = Действует с (дата или время RFC 3339; по умолчанию: сейчас)
cli-keys-certify-until = Действует до (дата, до её конца, или время RFC 3339)
cli-keys-certify-out = Папка, куда записать сертификат (только новые файлы)
cli-keys-certify-json = Вывести JSON
cli-keys-revoke = Отозвать ключ зала с указанного времени: его печати после этого не проходят, прежние действуют
cli-keys-revoke-root = Папка с корневым ключом суда (и его revocations.json)
cli-keys-revoke-key_id = Идентификатор ключа зала (16 шестнадцатеричных цифр)
cli-keys-revoke-from = Отозван с (дата или время RFC 3339; по умолчанию: сейчас)
cli-keys-revoke-reason = Причина (утерян, украден, рабочее место заменено…)
cli-keys-revoke-json = Вывести JSON
cli-keys-trust-list = Подписать список доверия корневых ключей судов корневым ключом уполномоченного органа
cli-keys-trust-list-authority = Папка с корневым ключом уполномоченного органа
cli-keys-trust-list-courts = Суд и файл его корневого открытого ключа, как НАЗВАНИЕ=ФАЙЛ; повторить для каждого суда
cli-keys-trust-list-out = Куда записать список доверия (и его .minisig рядом)
cli-keys-trust-list-json = Вывести JSON
cli-keys-show = Ключ зала этого рабочего места, его сертификат и состояние
cli-keys-show-json = Вывести JSON
cli-verify-trust_list = Список доверия (trust-list.json, подписанный уполномоченным органом): печать доверенная, если её ключ заверил суд из списка
cli-verify-authorities = Открытый ключ органа, подписавшего список доверия; можно повторять
cli-verify-revocations = revocations.json суда (подписан его корневым ключом); можно повторять
cli-verify-chunks = Также сверить каждый МиБ каждого файла со списком фрагментов печати, которому доверяют трансляция судье и образ диска (файлы читаются дважды)
keys-root-made = Корневой ключ { $id } создан: открытая часть { $public } передаётся проверяющим; секретная { $secret } хранится вне сети у администратора.
keys-certified = Ключ { $id } заверен для { $court }, зал { $hall }, до { $until }: { $file } (скопируйте его и .minisig в папку ключей рабочего места).
keys-revoked = Ключ { $id } отозван с { $from }: { $file } (передайте его и .minisig всем проверяющим вместе со списком доверия).
keys-trust-list = Список доверия ({ $count } суд(ов)) подписан: { $file }
keys-show-uncertified = Ключ зала { $id }: ещё не заверен корневым ключом суда.
keys-show-certified = Ключ зала { $id }: заверен для { $court }, зал { $hall }, до { $until } ({ $state }).
settings-key-certified = Заверен корневым ключом суда для { $court }, зал { $hall }, до { $until }
settings-key-uncertified = Ещё не заверен корневым ключом суда (hattama keys certify)
cli-keys-rotate = Заменить ключ зала этого рабочего места: старый остаётся доверенным здесь, новому нужен сертификат
cli-keys-rotate-json = Вывести JSON
keys-rotated = Ключ { $old } выведен (здесь остаётся доверенным для того, что им опечатано); новый ключ { $new }: заверьте { $public } (hattama keys certify) и установите его сертификат.
disc-readme-chain =
    Ключ, опечатавший папку, заверен корневым ключом суда (key-certificate.json в папке);
    корневой ключ есть в списке доверия Департамента по обеспечению деятельности судов. С minisign:
      minisign -Vm key-certificate.json -p { $root }
      minisign -Vm manifest.json -P <public_key, записанный в key-certificate.json>

seal-service-failed = Служба подписи зала не подписывает
seal-service-help = Ничего не потеряно: часть сохранена и будет опечатана, как только служба снова начнёт подписывать. Сообщите администратору суда (systemctl status hattama-signer); другой ключ вместо неё не используется.
check-service-ok = Служба подписи зала подписывает ключом { $id } ({ $certified }){ $court }
check-service-uncertified = ещё не заверен корневым ключом суда
check-service-certified = заверен для: { $court }, зал { $hall }, до { $until }
cli-signer = Служба подписи зала: хранит единственный ключ печати рабочего места и подписывает для его секретарей (запускается systemd)
cli-signer-folder = Её папка: ключ в keys/, журнал подписей (по умолчанию /var/lib/hattama-signer)
cli-signer-socket = Где она слушает (по умолчанию /run/hattama-signer/socket)
mirror-unknown-target = «{ $name }» — не настроенное место: server, cassation, supervisory, archive или replica с адресом в [delivery]
mirror-done = Опечатанных частей на { $from }: { $parts }; скопировано на { $to } и проверено там: { $copied }, уже были там: { $already }.
cli-replicate-from = С сервера на сервер (на сервере суда, правило 23): копировать из этого настроенного места (server, cassation, supervisory)
cli-replicate-to = …в это (replica)
cli-accept = Рабочее место архивариуса: сверить диски дела с тем, что события на сервере суда называют изготовленным, и записать приём туда подписанным событием
cli-accept-case = Номер дела
cli-accept-court = Суд, как его называют заседания (по умолчанию — имя [court] этого компьютера)
cli-accept-by = Кто принимает (по умолчанию — имя [operator] этого компьютера)
cli-accept-server = Какой из настроенных серверов хранит дело (server, cassation, supervisory, replica)
cli-accept-html = Записать опись дисков дела по его событиям как страницу для печати
cli-accept-json = Вывести JSON
cli-accept-discs = Каждый переданный диск (смонтированный), скопированная папка или образ; без них показываются диски, которые называют события, и ничего не принимается
accept-event-refused = Событие на сервере не учитывается: { $name }: { $why }
accept-listed = { $label }: диск { $disc } из { $of }, изготовлен { $made }, { $by }
accept-not-of-case = { $path }: не один из дисков дела, которые называет сервер суда
accept-disc-whole = { $path }: { $disc } — цел (подписи и каждый файл проверены)
accept-disc-fails = { $path }: { $disc } — проверка не проходит: { $why }
accept-missing = Недостаёт: { $label } (диск { $disc } из { $of }): { $why }
accept-summary = Целых дисков: { $whole }, недостаёт: { $missing }.
accept-recorded = Приём записан на сервере суда: { $at }
accept-not-recorded = Приём не удалось записать на сервере суда: { $why }. Там ничего не изменено; выполните команду ещё раз.
accept-no-server = Сервер суда не настроен
accept-no-server-help = Укажите адрес сервера суда в настройках ([delivery] server) и примите диски снова.
accept-events-help = Проверьте сеть и адрес сервера суда и примите диски снова. Ничего не записано.
accept-no-discs = Сервер суда не знает ни одного диска дела { $case }
accept-no-discs-help = Диски появляются в списке, когда их изготовили на рабочем месте и отправили: сначала изготовьте диски дела.
accept-not-recorded-title = Приёмку не удалось записать
accept-not-recorded-help = На сервере суда ничего не изменилось: примите диски снова, когда ключ и сервер ответят.
cli-cases = Список судьи: дела суда по событиям на сервере суда (дело, судья, участники, заседания), с поиском
cli-cases-search = Только дела, где есть каждое слово этого текста: в номере, имени судьи или участника, категории или дате заседания (2026-12-04)
cli-cases-court = Суд, как его называют заседания (по умолчанию — имя [court] этого компьютера)
cli-cases-server = Какой из настроенных серверов читать (server, cassation, supervisory, replica)
cli-cases-json = Вывести JSON
cases-line = { $case } — { $last } — { $judges } — заседаний: { $sessions }, частей: { $parts } — { $participants }
cases-none = На сервере нет подходящих дел суда { $court }.
cli-record-judge = Председательствующий судья, как его называет протокол
cli-disc-hand-over = Передать диски дела архивариусу: о каждом на сервер суда уходит подписанное событие
cli-disc-hand-over-case = Номер дела
cli-disc-hand-over-to = Архивариус, который их принимает
cli-disc-hand-over-json = Вывести JSON
disc-handed = { $label } (диск { $disc } из { $of }) передан: { $to }; сервер суда узнает об этом со следующей отправкой
disc-handed-to-nobody = --to называет архивариуса, который принимает диски: он пуст
cli-bench-court = Записать хранилище суда в масштабе: синтетические части и их подписанные события (замер)
cli-bench-court-parts = Сколько частей
cli-bench-court-root = Папка, заменяющая префикс сервера
cli-record-session = Записать следующую часть этого открытого заседания (после смены, в общей папке данных рабочего места), а не новое заседание
record-session-closed = заседание { $session } закрыто: закрытое заседание не принимает новых частей
cli-restore-case = Все части этого дела, которые хранит региональная реплика, по её списку: для рабочего места, потерявшего свою базу
cli-restore-court = Суд, как его называют заседания (по умолчанию — имя [court] этого компьютера)
cases-title = Дела суда
cases-title-archivist = Дела суда: приём дисков
cases-refresh = Обновить
cases-search = Поиск по номеру дела, судье, участнику, категории или дате
cases-loading = Дела суда читаются с сервера суда…
cases-empty = На сервере суда пока нет дел этого суда.
cases-opening = Дело { $case } открывается с сервера суда…
cases-accepting = Проверяются диски дела { $case }…
cases-refused = Событий на сервере не учтено: { $count } (их не подписал доверенный ключ; см. hattama cases).
cases-row = Последнее заседание { $last } · заседаний: { $sessions }, частей: { $parts }
cases-judges = Судья: { $names }
cases-participants = Участники: { $names }
cases-review = Просмотреть
cases-accept = Принять диски…
cases-accept-choose = Диски (образы) дела { $case }
cases-accepted = Дело { $case }: все диски целы; приём записан
cases-accepted-missing = Дело { $case }: не хватает дисков; приём записан с перечнем недостающих
cases-accepted-recorded = Записано на сервере суда: { $place }
sessions-court-cases = Дела суда (сервер)
