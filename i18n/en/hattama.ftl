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
cli-record = Record a session part and print its folder
cli-record-demo = Record demo inputs instead of the configured devices
cli-record-seconds = Stop after this many seconds (otherwise at Ctrl+C or SIGTERM)
cli-record-case = The case number the session belongs to
cli-record-profile = The encoding profile (default: from the configuration)
cli-record-json = Print one JSON object describing the part
cli-devices = List the cameras and microphones found
cli-devices-json = Print JSON
cli-recover = Finish every part interrupted by a crash or power loss
cli-recover-json = Print JSON
