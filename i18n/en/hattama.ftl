app-name = Hattama
app-tagline = Court session recording and the short protocol
error-label = Error
details-label = Details
starting = Starting…
court-not-set = Court and hall are not set yet (Settings)
court-and-hall = { $court }, hall { $hall }
data-folder = Data folder: { $path }
database-ready = Database ready (schema version { $schema })
recovered-parts = { $count ->
    [one] One interrupted part was recovered
   *[other] Interrupted parts recovered: { $count }
}
inputs-found = Inputs: { $inputs }

## Configuration
config-read-failed = Cannot read the configuration file { $path }
config-write-failed = Cannot save the configuration file { $path }
config-invalid = The configuration file { $path } has a wrong value for “{ $key }”
config-io-help = Check that the file exists and can be read and written by this user.
config-invalid-help = Correct or remove that key (every key has a default), then start Hattama again.

## Data and database
data-folder-failed = Cannot create the data folder { $path }
data-folder-help = Check that the data folder is on a writable disk with free space, or choose another with --data.
data-folder-read-only = Cannot write to the data folder { $path }
database-open-failed = Cannot open the database { $path }
database-open-help = The file was left exactly as it is. Restore it from a backup or move it aside; Hattama never deletes court records.
database-too-new = The database { $path } was written by a newer Hattama (schema { $found }, this one knows { $known })
database-too-new-help = Install the newer Hattama version; this one will not change the file.
database-migration-failed = Cannot upgrade the database to schema version { $version }
database-failed = The database reported an error
database-failed-help = Nothing was changed. Check the disk, then try again; report the details if it repeats.
part-folder-failed = Cannot create the recording folder { $path }

## Recording
demo-requested = Recording demo inputs, as asked.
demo-no-camera = No camera found: recording a demo picture instead.
demo-no-microphone = No microphone found: recording a demo sound instead.
demo-camera = Demo camera
demo-microphone = Demo microphone
demo-remote = Demo remote participant
demo-overlay = DEMO
track-video = Video
track-mix = Mix of all inputs
recorder-unavailable = Recording is not available on this computer
recorder-start-failed = The recording could not start
recorder-start-help = Check that the devices are connected and not used by another program, then try again.
install-package-help = Install the Debian package { $package } (make run installs it), then start Hattama again.
profile-invalid = The encoding profile { $origin } is not valid
profile-invalid-help = Correct the profile file or remove it; the built-in profiles always work.
profile-unknown = There is no encoding profile named “{ $name }”
profile-unknown-help = Known profiles: { $known }.
device-not-found = The device “{ $name }” is not connected
device-not-found-help = Connect it, or choose another in Settings. Present now: { $available }.
no-devices = No camera or microphone is available
no-devices-help = Connect a camera and a microphone, or allow demo inputs in Settings.
input-failed = The input “{ $input }” failed
input-failed-help = What was recorded is kept. Check the device’s cable and power.
recording-failed = The recording failed
recording-write-failed = The recording cannot be written to disk
recording-write-failed-help = What was recorded is kept. Check the disk and the data folder’s permissions.
disk-full = The disk is full
disk-full-help = What was recorded is kept. Free space on the disk (or move old recordings to the server) before recording again.
stop-timeout = The recording did not finish in time
repair-failed = The interrupted recording could not be repaired
kept-help = The file is kept as it is; it plays in most players up to where it ends.

## Command line
record-started = Recording to { $folder }
record-elapsed = Recording
recover-nothing = No interrupted parts.
recover-done = Recovered { $folder } ({ $seconds } s)
recover-failed = Could not repair { $folder }: { $error } (the file is kept)
devices-none = No cameras or microphones found.
device-camera = camera
device-microphone = microphone
cli-about = Court session recording with a timestamped short protocol. Without a command, opens the window.
cli--config = The configuration file (default: the user's config folder)
cli--data = The data folder for the database and recordings (default: the user's data folder)
cli--session = Open the screen of this session (its id) at start
cli--review = Open the review of a disc, a disc image (.iso) or a folder at start
cli-record = Record a session part and print its folder
cli-record-demo = Record demo inputs instead of the configured devices
cli-record-cameras = How many demo cameras (with --demo; one picture, side by side)
cli-record-microphones = How many demo microphones (with --demo; a track each)
cli-record-seconds = Stop after this many seconds (otherwise at Ctrl+C or SIGTERM)
cli-record-case = The case number the session belongs to
cli-record-profile = The encoding profile (default: from the configuration)
cli-record-json = Print one JSON object describing the part
cli-devices = List the cameras and microphones found
cli-devices-json = Print JSON
cli-recover = Finish every part interrupted by a crash or power loss
cli-recover-json = Print JSON
cli-verify = Check sealed recordings: every file's SHA-256, the signature, the protocol's hash chain
cli-verify-path = A part folder, a folder of many, or a mounted disc
cli-verify-centres = A certifying centre's certificate (PEM) to check the court's CMS signature against, instead of this computer's; may be repeated
cli-verify-trust = The trusted public keys (minisign .pub files one after another; default: this computer's)
cli-verify-json = Print JSON
cli-check = The daily equipment check: cameras, microphones, disk, signing key, servers (kept; fails when a step fails)
cli-check-by = Who makes the check (default: the configured operator)
cli-check-html = Also write the check as a page to print (HTML)
cli-check-json = Print JSON
verify-nothing = No sealed recording (manifest.json) at or below { $path }.
verify-ok = Verified: { $count } sealed parts, every check holds.
verify-failed = NOT VERIFIED: { $count } parts fail a check (see FAILED above).
cli-bench-seal = Measure stop → signed for a part of this length (benchmark)
cli-bench-seal-minutes = The part's length in minutes
cli-bench-review = Measure opening a part → first frame and an entry clicked → its frame (benchmark)
cli-bench-review-part = The part's folder
cli-bench-review-seeks = How many moments to seek to
cli-bench-review-opens = Then open the part this many times more, counting the opens that stalled
cli-bench-stream = Measure the judge's review of a long part from the court server (benchmark)
cli-bench-stream-long = A folder of recording files the last part here is given
cli-bench-stream-root = The court server's prefix, as the folder its S3 server serves
cli-bench-stream-seeks = How many moments to seek to
cli-bench-entries = Measure how long an entry takes to become durable while recording (benchmark)
cli-bench-entries-interval_ms = Milliseconds between entries
cli-bench-entries-count = How many entries to write
cli-bench-entries-say = Print each entry the moment the store has taken it (power-cut tests)

## Session, people, protocol (stored texts use the language chosen when written)
category-civil = Civil
category-criminal = Criminal
category-administrative = Administrative
role-plaintiff = Plaintiff
role-defendant = Defendant
role-accused = Accused
role-victim = Victim
role-prosecutor = Prosecutor
role-lawyer = Lawyer
role-representative = Representative
role-third-party = Third party
role-witness = Witness
role-expert = Expert
role-specialist = Specialist
role-interpreter = Interpreter
role-other = Other participant
instance-first = First instance
instance-appellate = Appellate instance
instance-cassation = Cassation instance
instance-supervisory = Supervisory instance
kind-note = Note
kind-session-opened = Session opened
kind-attendance = Attendance
kind-remote-identity = Remote participant identified
kind-rights-explained = Rights explained
kind-petition-filed = Petition filed
kind-petition-decided = Petition decided
kind-witness-questioned = Witness questioned
kind-expert-heard = Expert heard
kind-recess = Recess
kind-resumed = Resumed
kind-decision-announced = Decision announced
kind-addendum = Addendum (correction)
kind-session-closed = Session closed
entry-session-opened = The presiding judge opened the court session.
entry-attendance = The attendance of the participants was checked.
entry-remote-identity = The presiding judge established the identity of { $name } ({ $role }) at their location, { $location }, and their participation by video-conference.
entry-remote-identity-unnamed = The presiding judge established the identity of the remote participant at their location and their participation by video-conference.
entry-rights-explained = The participants' procedural rights and duties were explained.
entry-petition-filed = A petition was filed.
entry-petition-decided = The court decided on the petition.
entry-witness-questioned = A witness was questioned.
entry-witness-questioned-named = Witness { $name } was questioned.
entry-expert-heard = An expert was heard.
entry-expert-heard-named = Expert { $name } was heard.
entry-recess = A recess was announced.
entry-resumed = The court session resumed.
entry-decision-announced = The decision was announced.
entry-session-closed = The presiding judge closed the court session.
session-closed-error = This session is closed
session-closed-error-help = A closed session cannot be recorded or written to. Open a new session for the case.
entry-sealed-error = This entry is sealed and cannot be changed
entry-sealed-error-help = Write a correction as an addendum instead.

## Formats (chrono patterns)
date-format = %Y-%m-%d
time-format = %H:%M:%S
date-time-format = %Y-%m-%d %H:%M

## Window: set-up and settings
setup-title = Setting up this workstation
setup-intro = Hattama needs to know where it records. Everything here can be changed later in Settings.
settings-title = Settings
field-court-name = Court
field-court-name-placeholder = The court's full name
field-hall = Courtroom (hall) number
field-instance = Instance
field-language = Interface language
language-system = As the system
language-kk = Қазақша
language-ru = Русский
language-en = English
field-operator = Your name (secretary)
field-utc-offset = Time zone (offset from UTC, e.g. +05:00)
field-profile = Recording quality
field-cameras = Camera
field-microphones = Microphone
field-remote-audio = Sound of remote participants (video-conference)
devices-all = Every one found
devices-none-chosen = None
field-demo = Record demo inputs when no camera or microphone is found
setup-save = Start working
settings-save = Save
settings-back = Back
setup-missing = Enter the court and the hall number.
settings-offset-invalid = The time zone must look like +05:00.
settings-saved = Settings saved.
settings-devices-note = Devices found now: { $count }. Changes apply from the next recording.

## Window: sessions
sessions-title = Court sessions
sessions-search = Search by case number or name
sessions-new = New session
sessions-settings = Settings
sessions-empty = No sessions yet. Open the first with “New session”.
sessions-none-found = No session matches “{ $query }”.
sessions-today = Today
sessions-earlier = Earlier
session-open = Open
session-closed = Closed
session-parts = { $count ->
    [one] 1 part
   *[other] { $count } parts
}
session-judge = Judge { $name }
session-remote = Video-conference

## Window: new session
new-session-title = New court session
field-case-number = Case number
field-case-number-placeholder = e.g. 2-1234/2026
field-category = Category
field-judge = Presiding judge
field-secretary = Court session secretary
participants-title = Participants
participant-name = Full name
participant-role = Role
participant-remote = By video-conference
participant-location = From where (court, institution, address)
participant-add = Add participant
participant-remove = Remove
new-session-create = Open the session
new-session-cancel = Cancel
new-session-missing-case = Enter the case number.
new-session-missing-judge = Enter the presiding judge.
new-session-missing-name = Every participant needs a name.
new-session-missing-location = Say where { $name } takes part from.

## Window: the session
indicator-recording = ● RECORDING
indicator-starting = STARTING THE RECORDING…
indicator-stopping = FINISHING THE RECORDING…
indicator-idle = NOT RECORDING
indicator-recess = RECESS — NOT RECORDING
indicator-closed = SESSION CLOSED
record-button = Record
record-key = Ctrl+R
stop-button = Stop
recess-button = Recess
resume-button = Resume
elapsed-part = Part { $part }
back-to-sessions = Sessions
input-remote-label = { $name } — remote participant (video-conference)
demo-inputs-warning = Demo inputs: this is not a recording of the courtroom.
protocol-title = Short protocol
protocol-empty = No entries yet. Type and press Enter, or use F1–F12.
protocol-placeholder = Type an entry and press Enter
protocol-before-recording = not recorded
speaker-label = Speaker
speaker-none = No speaker
speaker-keys = Ctrl+1…9 picks a speaker, Ctrl+0 none
entry-corrected = corrected
entry-addendum = Add a correction
entry-correct = Correct
entry-save = Save
entry-cancel = Cancel
hotkeys-title = Ready-made entries
no-remote-participant = No participant takes part by video-conference in this session.
remote-pick-speaker = Several participants take part by video-conference: pick the one whose identity was established as the speaker (Ctrl+digit), then press F3 again.
confirm-stop-title = Close the session?
confirm-stop-body = The recording stops and the session is closed; it cannot be continued. For a break, choose Recess.
confirm-stop-close = Close the session
confirm-stop-recess = Recess instead
confirm-continue = Continue recording
confirm-exit-title = The session is being recorded
confirm-exit-body = Hattama finishes the recording cleanly before it closes. The session stays open and can be resumed later.
confirm-exit-yes = Finish recording and exit
exiting = Finishing the recording before closing…
copy-details = Copy details
dismiss = Dismiss
session-closed-note = This session is closed; its protocol is shown as written.

## Sealing
seal-key-failed = The signing key { $path } cannot be used
seal-random-failed = No random numbers for a new signing key
seal-key-help = Check the data folder (the key must be readable by this user alone); without a key recordings are kept but not signed.
seal-malformed = This is not a valid signature or public key
seal-unknown-key = Signed with a key that is not in the trust list
seal-bad-signature = The signature does not match: the file was changed after signing
seal-verify-help = Do not rely on this copy: ask the court for the original recording and its public key.
doc-title = SHORT PROTOCOL OF THE COURT SESSION
doc-court = Court
doc-hall = Courtroom
doc-instance = Instance
doc-case = Case
doc-session = Session
doc-category = Category
doc-judge = Presiding judge
doc-secretary = Court session secretary
doc-participants = Participants
doc-remote = by video-conference from
doc-entries = Entries (part·time in the recording, local time, kind, text)
doc-not-recorded = not recorded
doc-chain-head = SHA-256 hash chain head
seal-write-failed = Cannot write the seal file { $path }
seal-cms-failed = The court's certificate cannot sign this seal
seal-cms-help = Check [signing] in the configuration: the PKCS#12 file, its password file, and that the certificate is valid today. The part stays unsealed and is sealed as soon as the certificate signs again (at the next start).
seal-state-sealed = ✓ Sealed
seal-state-recovered = ✓ Sealed ({ $count } recovered after an interruption)
seal-state-unsealed = ✗ Not sealed: { $count } parts
seal-check = Check
seal-checking = Checking…
seal-check-ok = ✓ Verified: every file, the signature and the protocol chain hold.
seal-check-failed = ✗ NOT VERIFIED: { $what }
seal-check-folder = Check a folder or disc…
seal-check-image = Check a disc image…
seal-check-none = No sealed recording in { $path }.
seal-check-folder-ok = ✓ { $path }: { $count } sealed parts verified.
seal-check-folder-failed = ✗ { $path }: { $failed } of { $count } parts fail — { $what }
seal-key-label = Signing key { $id }
settings-key-title = Signing key (seals every recording)
settings-key-export = Export the public key…
settings-key-exported = The public key is saved in { $path }.

## The case disc
disc-media-cd = CD-R 700 MB
disc-media-dvd = DVD±R 4.7 GB
disc-media-dvd-dl = DVD+R DL 8.5 GB
disc-media-bd = BD-R 25 GB
disc-nothing-sealed = Case { $case } has no sealed recording to copy
disc-nothing-sealed-help = Check the case number; a part is sealed when it ends, and an interrupted one when Hattama next starts.
disc-part-too-large = A session part does not fit on a { $media }
disc-part-too-large-help = Choose a larger disc (DVD, DVD DL or BD).
disc-damaged = A recording in { $folder } does not match its seal
disc-damaged-help = Nothing was copied. Check the part (hattama verify) and restore it from the court server before making the disc.
disc-read-failed = { $path } cannot be read
disc-layout-failed = The disc image cannot be laid out
disc-write-failed = The disc image { $path } cannot be written
disc-write-help = Check the folder and the free space there; nothing was left under the image's name.
disc-cancelled = The disc image was cancelled
disc-cancelled-help = Nothing was left under the image's name.
disc-checking = Checking the recordings against their seals
disc-writing = Writing the image
disc-left = { $seconds } s left
disc-unsealed = Not on the disc (not sealed): session { $session }, part { $part }
disc-built = { $path }: disc { $disc } of { $of }, { $label }, { $size } bytes
disc-readme =
    CASE DISC — { $court }
    Case { $case }, disc { $disc } of { $of } ({ $label }).

    This disc holds the sealed recordings of the court sessions of the case:
    { $parts }
    Each folder is one part of a session (recording until a recess or the end): the video
    and sound (recording-001.mkv and, for a long part, recording-002.mkv, …), the sound
    alone (audio.opus), the short protocol (protocol.txt), and its seal.

    To watch: open recording-001.mkv in any player (VLC, mpv, Windows Media Player with
    the usual codecs). The times in protocol.txt are the player's times.

    To check that nothing was changed, with standard tools (minisign, sha256sum):
      cd { $example }
      { $sums }
      minisign -Vm manifest.json -p { $key }
    Where a folder holds manifest.json.p7s, the court's own certificate signed it too (CMS);
    with openssl and the certifying centre's certificate (ca.pem):
      openssl cms -verify -binary -inform DER -in manifest.json.p7s -content manifest.json -CAfile ca.pem -out /dev/null
    The disc's list of files (INVENTORY.json) is signed the same way:
      minisign -Vm INVENTORY.json -p { $inventory_key }
    Or, with Hattama: hattama verify <this disc or its image>.
cli-disc = The case disc: CD/DVD/BD images of a case's sealed recordings
cli-disc-build = Build the case's disc image (a numbered set when it does not fit one disc)
cli-disc-build-case = The case number
cli-disc-build-out = The image file to write (a set is numbered beside it: NAME-1of2.iso, …)
cli-disc-build-media = The blank it is for: cd (700 MB), dvd (4.7 GB), dvd-dl (8.5 GB), bd (25 GB)
cli-disc-build-json = Print JSON
cli-disc-build-force = Replace an image Hattama made earlier under that name (any other file is never replaced)
disc-burn-failed = The disc could not be burned
disc-burn-failed-help = Check that a blank disc of the right kind is in the drive, and try again; the image stays for another try or another drive.
disc-no-drive = No optical drive found. The image is kept at { $path }: burn it on another computer, and check it there with: hattama verify { $path }
disc-burning = Burning
disc-reading-back = Reading the disc back
disc-burn-match = { $drive }: the disc matches the image (SHA-256 { $sha256 })
disc-burn-differs = { $drive }: THE DISC DOES NOT MATCH THE IMAGE: { $summary }
disc-drives-none = No optical drive found.
cli-disc-drives = List the optical drives
cli-disc-drives-json = Print JSON
cli-disc-burn = Burn an image to a disc, read it back and compare, and record the result in the case inventory
cli-disc-burn-image = The image to burn (made by hattama disc build)
cli-disc-burn-drive = The drive (from hattama disc drives; stdio:FILE writes into a file as a drive would); default: the only drive found
cli-disc-burn-json = Print JSON
cli-disc-build-capacity = Bytes a disc holds (tests)
disc-inventory-line = { $label } · disc { $disc } of { $of } · made { $made } by { $by } · { $burned }
disc-inventory-burned-match = burned and read back the same
disc-inventory-burned-differs = burned, but read back differently: { $detail }
disc-inventory-not-burned = not burned yet
disc-inventory-title = Inventory of the case's discs
disc-inventory-case = Case
disc-inventory-label = Volume label
disc-inventory-disc = Disc
disc-inventory-media = Media
disc-inventory-sessions = Sessions
disc-inventory-size = Bytes
disc-inventory-contents = Contents (SHA-256 of INVENTORY.json)
disc-inventory-made = Made
disc-inventory-by = By
disc-inventory-burned = Burned and read back
disc-inventory-check = Check a disc: hattama verify <disc or image>, or with minisign and sha256sum as its README.txt says.
disc-inventory-none = No disc of case { $case } has been made.
cli-disc-inventory = Print the case's inventory of discs (as text, or as a page to print)
cli-disc-inventory-case = The case number
cli-disc-inventory-html = Write the printable page (HTML) to this file
cli-disc-inventory-json = Print JSON
session-disc-copy = Disc copy
disc-title = Disc copy of case { $case }
disc-media = Blank:
disc-folder = Images go to { $folder }
disc-choose-folder = Choose the folder…
disc-planning = Planning…
disc-planned = Disc { $disc } of { $of }: { $label }, { $megabytes } MB, { $parts } session parts
disc-build = Make { $count ->
    [one] the image
   *[other] the { $count } images
}
disc-disc = Disc
disc-cancel = Cancel
disc-images-ready = { $count ->
    [one] The image is ready and entered in the case inventory.
   *[other] { $count } images are ready and entered in the case inventory.
}
disc-drive = Drive:
disc-drives-none-window = No optical drive on this computer: the images are kept to be burned elsewhere, and each checks with hattama verify.
disc-burn = Burn and compare
disc-burning-progress = Burning: { $done } / { $total } MB
disc-save-page = Save the inventory page…
disc-page-saved = The inventory page is saved: { $path }
deliver-pass = Delivered { $delivered }, to retry { $retrying }, refused { $failed }, waiting for configuration { $waiting }.
deliver-busy = Another Hattama process is delivering from this data folder (the window, or hattama deliver); it sends what is due.
cli-deliver = Send what the outbox holds (protocols to ҚР СО БААТЖ) and keep sending as rows fall due
cli-deliver-once = One pass, then exit
cli-deliver-json = Print JSON
cli-man-pages = Write the manual pages into a folder (for the package)
cli-man-pages-out = The folder to write them in
cli-man-pages-failed = Could not write the manual pages into { $folder }: { $error }
cli-receiver = The reference receiver of short protocols (docs/baatzh.md)
cli-receiver-listen = Address to listen on
cli-receiver-store = Folder to store what is received
cli-receiver-token = The token to require
delivery-delivered = Protocol received by ҚР СО БААТЖ at { $at }
delivery-retry = Send again
cli-deliver-retry_failed = Send again the rows refused for good (after the cause is fixed)
upload-delivered = Uploaded to the court's recording server at { $at }, checked there
replicate-not-configured = No replica is configured ([delivery] replica in the configuration file).
replicate-done = Replica: { $queued } parts newly queued; { $copied } of { $total } copied and checked there.
restore-failed-title = The part could not be brought back from the replica
restore-failed-help = Nothing here was changed. Check the replica's address and keys in the settings, or ask the regional court whether the part is on its server.
restore-from-replica = Restore from the replica
restoring = Bringing the part back from the replica and checking it…
restore-whole = { $folder }: whole here, nothing to restore.
restore-done = { $folder }: restored from the replica ({ $files } files, signature and hashes verified); the damaged copy is kept beside it.
cli-replicate = Copy every sealed part not yet on the regional replica there, checked by hash
cli-replicate-json = Print JSON
cli-restore = Bring a session's parts back from the replica when the local copy is missing or damaged
cli-restore-session = The session's number
cli-restore-json = Print JSON
outbox-retrying = Not yet at { $target }: next attempt at { $at } ({ $error })
outbox-failed = Refused by { $target }: { $error }
outbox-pending = Waiting to go to { $target } (sent when it is configured and reachable)
target-baatzh = ҚР СО БААТЖ
target-server = the court's recording server
target-archive = СҚЭМ (the electronic archive)
target-replica = the regional replica
archive-delivered = The sound with its seal is in СҚЭМ since { $at }, checked there
replica-delivered = Copied to the regional replica at { $at }, checked there

## The review: the protocol beside the recording
player-no-recording = This part has no recording files
player-failed = The recording cannot be played
player-failed-help = Check the part (Check) and install the GStreamer plugins (make run does); the protocol stays readable.
player-track = Track { $number }
clip-range = The clip's start and end are not right
clip-range-help = Set the start before the end, both within the part.
clip-failed = The clip could not be written
clip-failed-help = Nothing partial was left. Check the part and the free space where the clip goes, then try again.
review-nothing-sealed = Nothing sealed was found in { $path }
review-unreadable = { $path } cannot be read
review-image-unreadable = The disc image { $path } cannot be read
review-open-help = Choose a disc, a disc image (.iso), or a folder copied from one: a session's folder or a part's.
session-review = Review
sessions-from-disc = From a disc or a copy:
review-open-folder = Review a disc or folder…
review-open-image = Review a disc image…
review-title = Case { $case } · session { $session }
review-source-database = From this court's records
review-source-folder = Read from { $path } (without the database)
review-source-server = Streamed from the court server: { $place } (nothing downloaded whole)
review-part = Part { $number }
review-part-seal = Part { $number }: { $state }
review-seal-checking = checking the seal…
review-seal-verified = sealed and verified
review-seal-recovered = sealed and verified; the recording was interrupted and recovered
review-seal-unsealed = not sealed yet: nothing vouches for this recording
review-seal-failed = THE CHECK FAILED ({ $what }); it still plays, but this copy is not as sealed
review-seal-streaming = seal verified (signature, files, sizes); every byte is checked against the seal as it plays
stream-server = The court server cannot be read
stream-server-help = Check the network, and the server's address and keys in the settings (Delivery); the court's administrator can help.
stream-no-parts = Case { $case } has no sealed part on the court server
stream-mount = The case cannot be shown from the server on this computer
stream-mount-help = Install fuse3 (the package depends on it) and check that /dev/fuse exists; or restore the part (hattama restore) and review it from there.
stream-refused = No part of case { $case } on the court server holds its seal
stream-unreadable = The case on the court server cannot be read
stream-changed = { $file } on the court server differs from its seal
stream-changed-help = Playback stopped: the copy on the server was changed or damaged. Tell the court's administrator; the part can be restored from the regional server (hattama restore).
review-check-stopped = the check did not finish
review-opening = Opening the recording…
review-no-picture = No picture
review-play = ▶ Play
review-pause = Pause
review-back-minute = −1 min
review-back-10 = −10 s
review-ahead-10 = +10 s
review-ahead-minute = +1 min
review-track = Sound
review-volume = Volume
review-clip = Clip:
review-clip-here = here
review-clip-export = Export the clip…
review-clip-where = Where should the clip go?
review-clip-done = The clip is written and signed: { $folder }
review-keys = Space or K play/pause · ←/→ or J/L ∓10 s · Shift+←/→ ∓1 min · [ ] speed · - + volume · T sound · PgUp/PgDn part · ↑/↓ entry · Enter play it · Ctrl+F search · Esc back
review-search = Search the protocol
review-any-kind = Any kind
review-any-speaker = Anyone
review-clear = Clear
review-found = { $shown } of { $all } entries
review-no-entries = The protocol has no entries.
review-none-found = No entry matches.
review-addendum = ↳ addendum { $time }: { $text }
review-not-recorded = This entry was written while nothing was recording.
review-write-addendum = Write an addendum to this entry…

## The daily equipment check (rules 7, 11, 17)
check-camera = Camera
check-microphone = Microphone
check-remote-audio = Video-conference sound
check-disk = Free disk
check-key = The court's signing key
check-role-head-of-office = head of the office
check-role-service-organisation = the service organisation's employee
check-device-missing = { $name } is not connected (it is configured but not found)
check-no-camera = No camera found
check-no-microphone = No microphone found
check-remote-not-configured = No video-conference input is configured (recording.remote_audio)
check-no-picture = No picture arrives
check-picture-black = The picture is black (covered, switched off, or no signal)
check-picture-frozen = The picture is frozen (the same frame throughout)
check-picture-live = A live picture ({ $frames } frames)
check-kept-unreadable = The steps of this kept check cannot be read (the database row is damaged): { $reason }
check-no-folder = No such folder: { $path }
check-no-answer = No answer in { $seconds } s
check-record = Kept check
check-no-sound = No sound arrives
check-sound = Sound arrives (peak { $peak } dBFS); speak into it to hear it
check-disk-enough = { $free } GB free, a working day needs { $needed } GB
check-disk-short = Only { $free } GB free: a working day needs { $needed } GB
check-key-ok = It signs, and the signature verifies (key { $id })
check-not-configured = Not configured
check-reachable = Answers
check-folder-missing = The folder is not there
check-heading = Daily equipment check by { $by } ({ $role }):
check-passed = Every step passed.
check-failed = { $count } step(s) failed.
check-run = Equipment check
check-running = Checking the cameras, microphones, disk, key and servers…
check-not-done-today = Today's equipment check has not been made (rule 7). Recording is not held back by it.
check-today-failed = Today's equipment check found { $count } fault(s): { $what }.
check-page-title = Daily check of the recording equipment
check-page-hall = courtroom { $hall }
check-page-step = Step
check-page-detail = Result
check-page-signature = Signature
check-save-page = Save the page…
check-page-saved = The page is saved: { $path }
disk-low = The disk is running short: { $free } GB left. Recording goes on; if it nearly fills, the part is stopped and sealed by itself. Tell the head of the office.
disk-stopped = The part was stopped and sealed because the disk is nearly full ({ $why }).

## Incidents during a session (rules 27–29)
kind-incident = Equipment incident
kind-technical-act = Technical act
input-lost-overlay = NO SIGNAL: { $name } — since { $since }
incident-input-stopped = { $name } stopped delivering
incident-input-error = { $name } failed
incident-microphone-silent = { $name } is silent
incident-disk-nearly-full = The disk is nearly full: the recording was stopped and sealed
incident-write-error = The recording could not be written
incident-back = { $name } delivers again
incident-began-line = INCIDENT at { $at }: { $what } ({ $details }). The other inputs go on recording.
incident-ended-line = Incident over at { $at }: { $what }.
notify-subject = Hattama: { $court }, { $hall }: { $what }
notify-body = { $what }.
    Court: { $court }, hall: { $hall }.
    Case { $case }, part { $part }, since { $started }.
    Details: { $details }
notify-deadline = The regional court's coordinator reports the cause to the Department's coordinator by { $due } (rule 28: within one hour).
act-incomplete = The act needs the cause and who confirmed it
act-incomplete-help = Write the cause the coordinator or the service organisation confirmed, and their name.
act-already = This incident already has its technical act
act-already-help = An act once drawn up is part of the sealed protocol; a correction is an addendum to it.
act-write-failed = The act's page could not be written
act-not-ended = not over when the part ended
act-title = Technical act №{ $number }
act-signature-drawn = Drawn up by
act-signature-confirmed = Cause confirmed by
act-text = TECHNICAL ACT №{ $number } (rule 29)
    Court: { $court }, hall { $hall }. Case { $case }, part { $part }.
    What failed: { $what } ({ $details }).
    From { $started } to { $ended }.
    Cause: { $cause }
    Cause confirmed by: { $confirmed }
    Drawn up by { $by }, { $at }.
incidents-title = { $count ->
    [one] Equipment incident in this session
   *[other] { $count } equipment incidents in this session
}
incident-now = now
incident-report-due = The regional court's coordinator reports the cause to the Department's coordinator by { $due } ({ $minutes } min left, rule 28).
incident-report-overdue = The hour for the regional coordinator's report ended at { $due } (rule 28).
act-draw-up = Technical act…
act-form-title = Technical act for incident №{ $number } (rule 29)
act-cause = The cause, as confirmed
act-confirmed-by = Who confirmed it (name, position)
act-save = Draw up and attach
act-drawn-up = Technical act №{ $number } drawn up, attached to the protocol and sealed.
act-save-page = Save the act's page…
act-page-saved = The act's page was saved to { $path }.
check-spoken-into = Spoken into and heard back
check-spoken = Speech reached it (peak { $peak } dBFS) and was heard played back
check-not-spoken = Nothing loud enough arrived while speaking into it (peak { $peak } dBFS)
check-not-heard-back = Speech arrived (peak { $peak } dBFS) but was not heard played back
check-guided-skipped = Not made by the person checking
check-playback-timeout = Playing it back did not finish
check-guided-title = Speak into each microphone: { $done } of { $total }
check-guided-speak = Press Listen, then speak into «{ $name }» for { $seconds } seconds. It is played back at once.
check-guided-listen = Listen
check-guided-listening = Listening… speak now into «{ $name }»
check-guided-heard = Peak { $peak } dBFS, played back. Did you hear it?
check-guided-yes = I heard it
check-guided-no = I did not hear it
check-guided-skip = Skip
check-guided-finish = Finish the check
incident-recording-interrupted = The recording stopped without being finished (recovered later)

act-waits-for-end = act once the incident is over
act-due = act due by { $due }
act-overdue = act overdue (due by { $due })
act-drawn-up-at = act drawn up { $at } by { $by }
incidents-none = No incident awaits its technical act.
incidents-line = №{ $number }  { $when }  { $case }: { $what } — { $act }
act-sealed-anew = Technical act №{ $number } drawn up and attached to the protocol; the part is sealed anew: { $folder }
cli-incidents = Incidents and their technical acts (rule 29)
cli-incidents-list = List the incidents awaiting their technical act, with the day it is due
cli-incidents-list-all = Every incident, those with their act too
cli-incidents-list-json = Print JSON
cli-incidents-act = Draw up an incident's technical act, attach it to the protocol and seal the part anew
cli-incidents-act-id = The incident's number (from hattama incidents list)
cli-incidents-act-cause = The cause, as confirmed
cli-incidents-act-confirmed_by = Who confirmed it (name, position)
cli-incidents-act-by = Who draws it up (default: the configured operator)
cli-incidents-act-json = Print JSON
act-no-incident = There is no incident №{ $number }
act-no-incident-help = hattama incidents list --all lists every incident with its number.
acts-awaiting = { $count ->
    [one] One incident awaits its technical act (rule 29):
   *[other] { $count } incidents await their technical act (rule 29):
}
acts-awaiting-more = … and { $count } more (hattama incidents list shows them all)

## Where a chosen path may be written (output.rs)
output-inside-data = { $path } is inside Hattama's data folder
output-inside-data-help = Nothing is written there but by Hattama itself (the database, the recordings and the keys live there). Choose another folder.
output-exists = { $path } already exists
output-exists-help = An existing file is never replaced: choose a new name or another folder.
output-ours = { $path } is a disc image Hattama made earlier
output-ours-help = Choose a new name, or replace that image on purpose with --force.
output-failed = Cannot write { $path }
output-failed-help = Check that the folder exists, may be written to and has room.

## Benchmarks never touch a court's data (cli.rs)
bench-needs-own-data = A benchmark runs only in a data folder of its own: give --data with a new folder.
bench-refuses-data = { $folder } holds data that a benchmark did not make: a benchmark never writes or seals in a court's data folder. Give --data with a new folder.

## The daily check's steps that must be able to fail (check.rs)
check-sound-silent = Digital silence (peak { $peak } dBFS): the input gives no sound at all (muted, dead or unplugged)
check-key-lost = The key that sealed { $count } part(s) here is missing: it is not replaced by a new one; restore it from its copy
check-file-open = { $path } can be read by other users of this computer
check-certificate = The court's certificate (CMS)
check-certificate-ok = It signs: { $who }; { $days } day(s) left before it must be renewed
check-secrets = Secrets in the configuration
check-secrets-open = { $path } holds tokens, keys or passwords and can be read by every user of this computer: chmod o-r (a user's own file: chmod 600)
check-secrets-closed = Readable only by the users they are for
check-token-refused = The token is refused (HTTP { $status })
check-not-there = Nothing receives at this address (HTTP { $status })
check-server-failing = The server answers with an error (HTTP { $status })
check-webhook = Incident webhook
check-mail = Mail server
check-mail-refused = The mail server does not take the connection
check-status-target = Hall status for the portal
cli-keys = The court's chain of trust: its root key, courtroom key certificates, revocations, the trust list
cli-keys-init-court = Make a root key (the court's, or an authority's) in a new folder; keep it offline
cli-keys-init-court-out = The new folder for court-root.key and court-root.pub
cli-keys-init-court-json = Print JSON
cli-keys-certify = Certify a courtroom key with the court's root key (key-certificate.json and its .minisig)
cli-keys-certify-root = The folder holding the court's root key
cli-keys-certify-public = The courtroom key's public file (the keys folder's hattama.pub)
cli-keys-certify-court = The court, as the certificate names it
cli-keys-certify-hall = The courtroom
cli-keys-certify-instance = The instance: first, appellate, cassation or supervisory
cli-keys-certify-from = Valid from (a date or an RFC 3339 time; default: now)
cli-keys-certify-until = Valid until (a date, to its end, or an RFC 3339 time)
cli-keys-certify-out = The folder to write the certificate into (new files only)
cli-keys-certify-json = Print JSON
cli-keys-revoke = Revoke a courtroom key from a time on: its seals made since then fail, earlier ones hold
cli-keys-revoke-root = The folder holding the court's root key (and its revocations.json)
cli-keys-revoke-key_id = The courtroom key's id (16 hex digits)
cli-keys-revoke-from = Revoked from (a date or an RFC 3339 time; default: now)
cli-keys-revoke-reason = Why (lost, stolen, workstation replaced…)
cli-keys-revoke-json = Print JSON
cli-keys-trust-list = Sign the trust list of the courts' root keys with an authority's root key
cli-keys-trust-list-authority = The folder holding the authority's root key
cli-keys-trust-list-courts = A court and its root key's public file, as NAME=FILE; repeat for each court
cli-keys-trust-list-out = The trust list to write (and its .minisig beside it)
cli-keys-trust-list-json = Print JSON
cli-keys-show = This workstation's courtroom key, its certificate and its state
cli-keys-show-json = Print JSON
cli-verify-trust_list = A trust list (trust-list.json, signed by an authority): seals are trusted when a court on it certified their key
cli-verify-authorities = The public key of the authority that signs the trust list; may be repeated
cli-verify-revocations = A court's revocations.json (signed by its root key); may be repeated
cli-verify-chunks = Also hold every MiB of every file to the seal's chunk list, which the judge's stream and the disc image trust (the files are read twice)
keys-root-made = Root key { $id } made: the public half { $public } goes to whoever checks; the secret { $secret } stays offline with the administrator.
keys-certified = Key { $id } certified for { $court }, hall { $hall }, until { $until }: { $file } (copy it and its .minisig into the workstation's keys folder).
keys-revoked = Key { $id } revoked from { $from }: { $file } (give it and its .minisig to every verifier with the trust list).
keys-trust-list = Trust list of { $count } court(s) signed: { $file }
keys-show-uncertified = Courtroom key { $id }: not certified by the court's root key yet.
keys-show-certified = Courtroom key { $id }: certified for { $court }, hall { $hall }, until { $until } ({ $state }).
settings-key-certified = Certified by the court's root key for { $court }, hall { $hall }, until { $until }
settings-key-uncertified = Not certified by the court's root key yet (hattama keys certify)
cli-keys-rotate = Replace this workstation's courtroom key: the old one stays trusted here, the new one needs its certificate
cli-keys-rotate-json = Print JSON
keys-rotated = Key { $old } retired (still trusted here for what it sealed); new key { $new }: certify { $public } (hattama keys certify) and install its certificate.
disc-readme-chain =
    The key that sealed a folder is certified by the court's root key (key-certificate.json in
    the folder); the root key is on the trust list of the Judicial Administration. With minisign:
      minisign -Vm key-certificate.json -p { $root }
      minisign -Vm manifest.json -P <the public_key written in key-certificate.json>

seal-service-failed = The courtroom's signing service does not sign
seal-service-help = Nothing is lost: the part is kept and sealed as soon as the service signs again. Tell the court's administrator (systemctl status hattama-signer); no other key is used in its place.
check-service-ok = The courtroom's signing service signs with key { $id } ({ $certified }){ $court }
check-service-uncertified = not certified by the court's root key yet
check-service-certified = certified for { $court }, hall { $hall }, until { $until }
cli-signer = The courtroom's signing service: holds the one sealing key of this workstation and signs for its secretaries (run by systemd)
cli-signer-folder = Its folder: the key in keys/, the log of signatures (default /var/lib/hattama-signer)
cli-signer-socket = Where it listens (default /run/hattama-signer/socket)
mirror-unknown-target = "{ $name }" is not a configured target: server, cassation, supervisory, archive or replica, with its address set in [delivery]
mirror-done = { $parts } sealed parts on { $from }: { $copied } copied to { $to } and checked there, { $already } already there.
cli-replicate-from = Server to server (on the court server, rule 23): copy from this configured target (server, cassation, supervisory)
cli-replicate-to = …to this one (replica)
cli-accept = The archivist's desk: check a case's discs against what the court server's events say was made, and record the acceptance there as a signed event
cli-accept-case = The case's number
cli-accept-court = The court, as its sessions name it (default: this computer's [court] name)
cli-accept-by = Who accepts (default: this computer's [operator] name)
cli-accept-server = Which configured server holds the case (server, cassation, supervisory, replica)
cli-accept-html = Write the case's inventory of discs, from its events, as a printable page
cli-accept-json = Print JSON
cli-accept-discs = Each disc (mounted), copied folder or image handed over; with none, the discs the events list are shown and nothing is accepted
accept-event-refused = An event on the server is not taken into account: { $name }: { $why }
accept-listed = { $label }: disc { $disc } of { $of }, made { $made } by { $by }
accept-not-of-case = { $path }: not one of the case's discs the court server lists
accept-disc-whole = { $path }: { $disc } — whole (signatures and every file checked)
accept-disc-fails = { $path }: { $disc } — its check fails: { $why }
accept-missing = Missing: { $label } (disc { $disc } of { $of }): { $why }
accept-summary = { $whole } disc(s) whole, { $missing } missing.
accept-recorded = The acceptance is recorded on the court server: { $at }
accept-not-recorded = The acceptance could not be recorded on the court server: { $why }. Nothing was changed there; run the command again.
accept-no-server = No court server is configured
accept-no-server-help = Set the court server's address in the settings ([delivery] server), then accept again.
accept-events-help = Check the network and the court server's address, then accept again. Nothing was recorded.
accept-no-discs = The court server lists no disc of case { $case }
accept-no-discs-help = Discs are listed once they are made at a workstation and delivered: make the case's discs first.
accept-not-recorded-title = The acceptance could not be recorded
accept-not-recorded-help = Nothing was changed on the court server: accept again once the key and the server answer.
cli-cases = The judge's list: the court's cases from the court server's events (case, judge, participants, sessions), searchable
cli-cases-search = Only the cases with every word of this in their number, a judge's or participant's name, the category or a session's date (2026-12-04)
cli-cases-court = The court, as its sessions name it (default: this computer's [court] name)
cli-cases-server = Which configured server to list (server, cassation, supervisory, replica)
cli-cases-json = Print JSON
cases-line = { $case } — { $last } — { $judges } — { $sessions } session(s), { $parts } part(s) — { $participants }
cases-none = No case of { $court } on the server matches.
cli-record-judge = The presiding judge, as the protocol names them
cli-disc-hand-over = Hand the case's discs over to the archivist: a signed event for each goes to the court server
cli-disc-hand-over-case = The case number
cli-disc-hand-over-to = The archivist who takes them
cli-disc-hand-over-json = Print JSON
disc-handed = { $label } (disc { $disc } of { $of }) handed over to { $to }: said to the court server with the next delivery
disc-handed-to-nobody = --to names the archivist who takes the discs: it is empty
cli-bench-court = Write a court's store at scale: synthetic parts and their signed events (benchmark)
cli-bench-court-parts = How many parts
cli-bench-court-root = The folder standing for the server's prefix
cli-record-session = Record the next part of this open session (after a shift change, in the workstation's shared data folder) instead of a new one
record-session-closed = session { $session } is closed: a closed session takes no more parts
cli-restore-case = Every part of this case the regional replica holds, found by its listing: for a workstation that lost its database
cli-restore-court = The court, as its sessions name it (default: this computer's [court] name)
cases-title = The court's cases
cases-title-archivist = The court's cases: accepting discs
cases-refresh = Refresh
cases-search = Search by case number, judge, participant, category or date
cases-loading = Reading the court's cases from the court server…
cases-empty = The court server holds no case of this court yet.
cases-opening = Opening case { $case } from the court server…
cases-accepting = Checking the discs of case { $case }…
cases-refused = { $count } event(s) on the server not taken into account: no trusted key signed them (see hattama cases).
cases-row = Latest session { $last } · { $sessions } session(s), { $parts } part(s)
cases-judges = Judge: { $names }
cases-participants = Participants: { $names }
cases-review = Review
cases-accept = Accept discs…
cases-accept-choose = The discs (images) of case { $case }
cases-accepted = Case { $case }: every disc whole; the acceptance is recorded
cases-accepted-missing = Case { $case }: discs are missing; the acceptance is recorded with what is missing
cases-accepted-recorded = Recorded on the court server: { $place }
sessions-court-cases = The court's cases (server)
