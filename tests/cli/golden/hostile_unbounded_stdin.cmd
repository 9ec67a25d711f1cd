check -p tests/cli/inputs/drafts - < /dev/zero; echo "zero exit $?"; "$cordon" explain -p tests/cli/inputs/drafts - < /dev/urandom
