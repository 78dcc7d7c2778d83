// ARR of an account on a day (PRODUCT.md, Metrics): Σ ARR of its contract lines active that day,
// start ≤ d ≤ end, where end is the last day of service and a line with no end is open-ended.
#pragma once

#include <span>

#include "domain/entities.h"

namespace orchard {

constexpr bool IsActiveOn(const ContractLine& line, Date day) {
  return line.start_date <= day && (!line.end_date || day <= *line.end_date);
}

// A line whose last day of service comes before its first (a rule: ValidateContractLine).
constexpr bool EndsBeforeStart(const ContractLine& line) {
  return line.end_date && *line.end_date < line.start_date;
}

Money ArrOn(std::span<const ContractLine> lines, Date day);

// A line must start before (or on) its last day and carry a non-negative ARR.
Status ValidateContractLine(const ContractLine& line);

}  // namespace orchard
