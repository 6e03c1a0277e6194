# Sourced by scripts/image.sh and scripts/native.sh: which container engine answers, and why none does.

# The first of docker and podman whose `info` answers; nothing when neither does.
running_engine() {
  local candidate
  for candidate in docker podman; do
    if "$candidate" info > /dev/null 2>&1; then
      echo "$candidate"
      return
    fi
  done
}

# Why neither docker nor podman can be used, one line each, behind the prefix $1.
why_no_engine() {
  if command -v docker > /dev/null 2>&1; then
    echo "$1docker is installed, but its daemon does not answer ('docker info' fails)"
  else
    echo "$1docker is not installed"
  fi
  if command -v podman > /dev/null 2>&1; then
    echo "$1podman is installed, but 'podman info' fails"
  else
    echo "$1podman is not installed"
  fi
}
