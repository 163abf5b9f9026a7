#!/usr/bin/env bash
# Seeds the corpora from the repository's real ledgers and runs every fuzz target in turn for
# ${FUZZ_SECONDS:-60} seconds. Only a stable toolchain is needed: RUSTC_BOOTSTRAP=1 lets it
# accept the nightly flags cargo-fuzz passes (sanitizer, coverage instrumentation).
#
#   fuzz/run.sh                      # every target, 60 s each
#   FUZZ_SECONDS=300 fuzz/run.sh     # longer
#   fuzz/run.sh money date           # some targets only
#
# Each target stops at its first crash; the input lands in fuzz/artifacts/<target>/ with the run's
# log, the other targets still run, and the script exits 1 at the end. It prints the number of
# executions libFuzzer reports for each target.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
seconds="${FUZZ_SECONDS:-60}"
targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then
    targets=(money date csv_ledger toml_records front_matter)
fi

# Real files, copied under a flattened name (content/mingxiu/fees.csv → content_mingxiu_fees.csv).
seed_files() { # <target> <find predicates...>
    local target="$1"
    shift
    mkdir -p "$here/corpus/$target"
    (cd "$root" && find content examples/starter -type f "$@" -print) | while read -r rel; do
        cp "$root/$rel" "$here/corpus/$target/${rel//\//_}"
    done
}

# Single values: every cell of every CSV ledger, quoted or not, one file per distinct value.
seed_cells() { # <target>
    local target="$1"
    mkdir -p "$here/corpus/$target"
    (cd "$root" && find content examples/starter -name '*.csv' -exec cat {} +) |
        perl -CS -ne 'chomp; s/\r$//; print "$1\n" while /("(?:[^"]|"")*"|[^,]*)(?:,|$)/g' |
        sort -u | while IFS= read -r cell; do
            [ -n "$cell" ] || continue
            cell="${cell#\"}"
            cell="${cell%\"}"
            printf '%s' "$cell" >"$here/corpus/$target/cell-$(printf '%s' "$cell" | cksum | cut -d' ' -f1)"
        done
}

# Forms the real files do not use (大写 amounts, Chinese periods, Excel serials, 万元).
seed_values() { # <target> <value...>
    local target="$1"
    shift
    mkdir -p "$here/corpus/$target"
    local i=0
    for value in "$@"; do
        printf '%s' "$value" >"$here/corpus/$target/extra-$i"
        i=$((i + 1))
    done
}

seed_cells money
seed_values money '壹拾柒万贰仟陆佰元整' '人民币壹拾万柒仟元零伍角叁分' '17.26万元' '(1,200.00)' \
    '￥１７２，６００．５' '58,230.45㎡' '1.80元/㎡·月' '0.685'
seed_cells date
seed_values date '2024年第一季度' '2024年上半年' '2024q4' '2024年3月' '2023年5月1日' '45047' '2024.03'
seed_files csv_ledger -name '*.csv'
seed_values csv_ledger "$(printf '日期,类别,收入金额,收入金额（大写）,去向\n2024-01-02,停车,"1,200.00",壹仟贰佰元整,维修资金\n小计,,"1,200.00",,\n')" \
    "$(printf '期间,建筑类型,应缴户数,已缴户数,应收金额（万元）,实收金额（万元）\r2024Q1,住宅,1,1,1.5,1\r合计,,,,1.5,1\r')"
seed_files toml_records -name '*.toml' \( -path '*/projects/*' -o -path '*/tenders/*' -o -name compound.toml \)
seed_files front_matter -path '*/notices/*' -name '*.md'

cd "$here"
failed=()
summary=()
for target in "${targets[@]}"; do
    dict=()
    if [ -f "dict/$target.dict" ]; then
        dict=("-dict=dict/$target.dict")
    fi
    mkdir -p "artifacts/$target"
    log="artifacts/$target/run.log"
    echo "== $target: ${seconds}s (log: fuzz/$log)"
    status=0
    RUSTC_BOOTSTRAP=1 cargo fuzz run "$target" "corpus/$target" -- \
        -max_total_time="$seconds" -print_final_stats=1 "${dict[@]}" 2>&1 | tee "$log" |
        grep -E '^(#[0-9]+[[:space:]]+DONE|stat::number_of_executed_units|thread .* panicked|==[0-9]+==ERROR)' ||
        true
    if ! grep -q '^#[0-9]*[[:space:]]*DONE' "$log"; then
        status=1
        failed+=("$target")
    fi
    runs="$(grep -o 'number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)"
    summary+=("$(printf '%-14s %12s executions%s' "$target" "${runs:-?}" \
        "$([ "$status" -eq 0 ] || echo ', CRASHED: see fuzz/'"$log")")")
done

echo
echo "== summary (${seconds}s per target)"
printf '%s\n' "${summary[@]}"
if [ "${#failed[@]}" -gt 0 ]; then
    echo "crashed: ${failed[*]} (inputs in fuzz/artifacts/<target>/)"
    exit 1
fi
