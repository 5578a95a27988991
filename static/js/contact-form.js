// "Dod ziņu!": once a planning region is chosen, offer only its municipalities.
// The form works without this; the server checks the pair either way.
document.addEventListener("DOMContentLoaded", function () {
  var region = document.getElementById("id_planning_region");
  var municipality = document.getElementById("id_municipality");
  if (!region || !municipality) return;
  var groups = Array.prototype.slice.call(municipality.querySelectorAll("optgroup"));
  function update() {
    var name = region.value ? region.options[region.selectedIndex].text : null;
    groups.forEach(function (group) {
      var shown = !name || group.label === name;
      group.hidden = !shown;
      group.disabled = !shown;
    });
    var chosen = municipality.options[municipality.selectedIndex];
    if (chosen && chosen.parentElement.disabled) municipality.value = "";
  }
  region.addEventListener("change", update);
  update();
});
