#include "domain/arr.h"

namespace orchard {

Money ArrOn(std::span<const ContractLine> lines, Date day) {
  Money total;
  for (const auto& line : lines) {
    if (IsActiveOn(line, day)) total += line.arr;
  }
  return total;
}

Status ValidateContractLine(const ContractLine& line) {
  if (line.arr.cents() < 0) return FailValue("arr_cents", "must not be negative");
  if (EndsBeforeStart(line)) {
    return FailValue("end_date", "is before start_date " + line.start_date.ToString());
  }
  return Ok();
}

}  // namespace orchard
