//! Each coding rule with the short notes that show it: the rule's examples, run as tests.
//! A rule without an example here fails `every_rule_has_an_example`.

use std::sync::LazyLock;

use interspace_coding::{RULES, code};
use interspace_knowledge::Knowledge;
use interspace_refdata::RefData;

static DATA: LazyLock<RefData> = LazyLock::new(|| RefData::load_embedded().unwrap());
static KNOWLEDGE: LazyLock<Knowledge> = LazyLock::new(|| Knowledge::load_embedded().unwrap());

fn tokens(note: &str) -> Vec<String> {
    let f = interspace_notes::findings::analyze(note);
    let d = DATA.year(2025).unwrap();
    let mut t: Vec<String> = code(&f, d, &KNOWLEDGE).lines.iter().map(|l| l.token()).collect();
    t.sort();
    t
}

/// (rule id, note, expected codes)
const CASES: &[(&str, &str, &str)] = &[
    (
        "DCMP001",
        "PROCEDURE: L5 Gill laminectomy and posterolateral fusion L5-S1 with pedicle screws L5-S1, local autograft.\nDESCRIPTION: The loose posterior element of L5 was removed in its entirety (Gill procedure) and both L5 roots decompressed. Pedicle screws were placed at L5 and S1. The transverse process of L5 and the sacral ala were decorticated and the local bone laid posterolaterally.",
        "20936 22612 22840 63012",
    ),
    (
        "DCMP002",
        "PROCEDURE: Revision left L4-5 laminotomy with re-exploration and excision of a recurrent disc herniation.\nDESCRIPTION: Through the old incision the scar was dissected, the laminotomy enlarged and the recurrent fragment removed from beneath the L5 root.",
        "63042",
    ),
    (
        "PROC007",
        "PREOPERATIVE DIAGNOSIS: Deep surgical site infection after L4-S1 posterior fusion.\nPROCEDURE: Irrigation and debridement of deep lumbar wound infection.\nDESCRIPTION: The prior incision was opened. Purulent fluid beneath the fascia was drained and necrotic tissue debrided. The hardware was retained.",
        "22015",
    ),
    (
        // A return to the operating room inside the global period takes 78.
        "PROC007",
        "PROCEDURE: Return to the operating room for irrigation and debridement of a C5-C7 posterior cervical wound infection.\nDESCRIPTION: The fascia was opened and a subfascial abscess was drained and debrided.",
        "22010-78",
    ),
    (
        // The hardware removed through the infected wound is column one over 22015.
        "PROC007",
        "PREOPERATIVE DIAGNOSIS: Deep wound infection after L4-5 posterior fusion.\nPROCEDURE: Irrigation and debridement of deep lumbar wound infection and removal of L4-L5 pedicle screws and rods.\nDESCRIPTION: The fascia was opened and purulent fluid drained. The fusion was solid. The pedicle screws and rods at L4 and L5 were removed.",
        "22850",
    ),
    (
        // Above the fascia is not a deep abscess.
        "PROC007",
        "PROCEDURE: Irrigation and debridement of L4-5 wound infection.\nDESCRIPTION: The superficial wound was opened and purulent material above the fascia was drained. The fascia was intact and was not opened.",
        "",
    ),
    (
        // Through an endoscope a lumbar discectomy is 62380, not 63030.
        "DCMP002",
        "PROCEDURE: Left L4-5 endoscopic discectomy and decompression.\nDESCRIPTION: A working channel endoscope was docked on the left L4-5 interlaminar window and the herniated disc fragment was removed, decompressing the left L5 nerve root.",
        "62380",
    ),
    (
        "DCMP002",
        "PROCEDURE: Bilateral L4-5 and L5-S1 full-endoscopic decompression.\nDESCRIPTION: Through a full-endoscopic interlaminar approach a bilateral laminotomy was performed at L4-5 and L5-S1 and both L5 and S1 nerve roots were decompressed.",
        "62380-50x2",
    ),
    (
        // A tubular retractor with a microscope is not an endoscope.
        "DCMP002",
        "PROCEDURE: Left L4-5 microdiscectomy through a tubular retractor.\nDESCRIPTION: An 18 mm tubular retractor was docked on the left L4-5 lamina. Under the microscope a laminotomy was performed and the herniated disc removed.",
        "63030",
    ),
    (
        "DCMP005",
        "PREOPERATIVE DIAGNOSIS: Spinal epidural abscess L3-L5.\nPROCEDURE: L3, L4 and L5 laminectomy for evacuation of epidural abscess.\nDESCRIPTION: A laminectomy of L3, L4 and L5 was performed. Purulent material in the dorsal epidural space was evacuated and the thecal sac decompressed.",
        "63267",
    ),
    (
        "DCMP005",
        "PROCEDURE: C4-C6 laminectomy with drainage of epidural abscess.\nDESCRIPTION: Laminectomy C4, C5 and C6. Purulent material dorsal to the cord was drained.",
        "63265",
    ),
    (
        "DCMP005",
        "PROCEDURE: T6-T8 laminectomy and evacuation of epidural hematoma.\nDESCRIPTION: Laminectomy of T6, T7 and T8 was performed. A dorsal epidural hematoma compressing the spinal cord was evacuated.",
        "63266",
    ),
    (
        // A return to the operating room re-opens the laminectomy: no new lamina is removed.
        "DCMP005",
        "PROCEDURE: Return to the operating room for re-exploration of the L4-5 laminectomy and evacuation of epidural hematoma.\nDESCRIPTION: The previous incision was opened. A large epidural hematoma at L4-L5 was evacuated.",
        "63267-78",
    ),
    (
        // A hemilaminectomy is a laminectomy for the lesion codes.
        "DCMP005",
        "PROCEDURE: Right L4-5 hemilaminectomy and evacuation of epidural hematoma.\nDESCRIPTION: A right L4 hemilaminectomy was performed and the epidural hematoma was evacuated with suction.",
        "63267",
    ),
    (
        // "No epidural hematoma" at the end of a decompression is not a lesion removed.
        "DCMP005",
        "PROCEDURE: L4 and L5 laminectomy with bilateral foraminotomies for stenosis.\nDESCRIPTION: Laminectomy of L4 and L5 with bilateral foraminotomies. Hemostasis was obtained and no epidural hematoma was present. A drain was placed to prevent an epidural hematoma.",
        "63047 63048",
    ),
    (
        // A suction drain against a haematoma, and a disc space washed out in a fusion whose
        // consent names infection, are neither a lesion evacuated nor a wound washout.
        "DCMP005",
        "INDICATIONS: The risks including infection, bleeding and epidural hematoma were discussed.\nPROCEDURE: L4-5 TLIF.\nDESCRIPTION: The fascia was incised. Pedicle screws were placed at L4 and L5. The disc space was washed out and a PEEK cage placed at L4-5. A suction drain was placed to prevent an epidural hematoma.",
        "22630 22840 22853",
    ),
    (
        // A synovial cyst keeps the decompression code (with a note to review).
        "DCMP005",
        "PROCEDURE: Right L4-5 hemilaminotomy, medial facetectomy and excision of synovial cyst.\nDESCRIPTION: A right L4 hemilaminotomy with medial facetectomy was performed. The synovial cyst was dissected from the dura and excised.",
        "63030",
    ),
    (
        "ARTH001",
        "PROCEDURE: L4-5 TLIF with posterolateral fusion.\nDESCRIPTION: Pedicle screws were placed at L4 and L5. A PEEK cage was placed in the L4-5 disc space. The transverse processes of L4 and L5 were decorticated and local autograft was laid in the gutters.",
        "20936 22633 22840 22853",
    ),
    (
        "ARTH001",
        "PROCEDURE: Posterolateral fusion L4 to S1 with pedicle screws L4-S1 and iliac crest bone graft harvested through a separate fascial incision.\nDESCRIPTION: Pedicle screws were placed at L4, L5 and S1. The transverse processes were decorticated and iliac crest graft was harvested through a separate incision and laid posterolaterally.",
        "20937 22612 22614 22842",
    ),
    (
        "ARTH001",
        "PROCEDURES: 1. PLIF L4-5 and L5-S1. 2. Pedicle screws L4-S1.\nDESCRIPTION: Bilateral pedicle screws were inserted at L4, L5 and S1. At L4-5 and L5-S1 a complete discectomy was performed and PEEK cages were inserted. No posterolateral graft was placed.",
        "22630 22632 22842 22853x2",
    ),
    (
        // The procedure list names L5-S1, the narrative leaves it alone: "they" carries the level.
        "ARTH001",
        "PROCEDURES: 1. L4-S1 posterior spinal fusion. 2. TLIF L4-5, L5-S1. 3. Pedicle screws L4-L5.\nDESCRIPTION: The ankylosed L5-S1 facets were palpated and confirmed to be solidly fused; they were not disturbed. Pedicle screws were placed at L4 and L5. A TLIF was performed at L4-5 with a PEEK cage. The L4 and L5 transverse processes were decorticated and local autograft was laid from L4 to L5.",
        "20936 22633 22840 22853",
    ),
    (
        // "The disc was then removed" is discectomy: the cage placed after it is not a removed device.
        "ARTH001",
        "PROCEDURE: TLIF L4-5 and L5-S1.\nDESCRIPTION: A TLIF was performed at L4-5 with a PEEK cage. At L5-S1 the disc was then removed and a PEEK cage was placed.",
        "22630 22632 22853x2",
    ),
    (
        "ARTH002",
        "PROCEDURE: Anterior cervical discectomy and fusion C5-6 and C6-7 with PEEK cages and an anterior plate C5 to C7, allograft chips.",
        "20930 22551 22552 22845 22853x2",
    ),
    (
        "ARTH002",
        "PROCEDURE: XLIF L3-4 and L4-5 (lateral transpsoas interbody fusion) with PEEK cages and allograft.\nDESCRIPTION: In the right lateral decubitus position the L3-4 and L4-5 discs were removed and PEEK cages packed with allograft were placed.",
        "20930 22558 22585 22853x2",
    ),
    ("ARTH005", "PROCEDURE: AxiaLIF presacral interbody fusion L5-S1 with local autograft and fixation rod.", "22586"),
    (
        "ARTH006",
        "PROCEDURE: Posterior C1-C2 fusion with C1 lateral mass and C2 pars screws and structural iliac crest autograft harvested through a separate incision.",
        "20938 22595 22840",
    ),
    (
        "ARTH007",
        "PREOPERATIVE DIAGNOSIS: Adolescent idiopathic scoliosis.\nPROCEDURE: Posterior spinal fusion T4 to L1 with segmental pedicle screw instrumentation T4-L1, local autograft and allograft.\nDESCRIPTION: Pedicle screws were placed from T4 to L1. Deformity correction by rod derotation. The facets were decorticated and graft was placed.",
        "20930 20936 22802 22843",
    ),
    (
        // A fusion "to the pelvis" reaches S1: T10-S1 is nine vertebrae.
        "ARTH007",
        "PREOPERATIVE DIAGNOSIS: Adult degenerative scoliosis.\nPROCEDURE: Posterior spinal fusion T10 to pelvis with pedicle screws T10-S1 and bilateral S2AI screws, local autograft.",
        "20936 22802 22843 22848",
    ),
    (
        // The deformity named as the fusion's indication in the procedure, with no diagnosis section.
        "ARTH007",
        "PROCEDURE: Posterior spinal fusion T10 to pelvis for adult degenerative scoliosis, pedicle screws T10-S1 and iliac screws, local autograft.",
        "20936 22802 22843 22848",
    ),
    (
        "ARTH008",
        "PROCEDURE: Presacral interbody fusion L5-S1 (AxiaLIF) with pedicle screws L5-S1 and allograft.",
        "22586",
    ),
    (
        // "Posterior instrumentation" with no anchor named is posterior all the same.
        "INST001",
        "PROCEDURE: L5-S1 ALIF with PEEK cage and BMP; L4-S1 posterior instrumentation and posterolateral fusion with local autograft.",
        "20930 20936 22558 22612 22614 22842 22853",
    ),
    (
        "INST001",
        "PROCEDURE: L4-5 posterolateral fusion with pedicle screws L4-L5, local autograft.\nDESCRIPTION: Pedicle screws were placed at L4 and L5 bilaterally. The transverse processes were decorticated and local autograft was placed.",
        "20936 22612 22840",
    ),
    (
        "INST002",
        "PROCEDURE: ACDF C4-5, C5-6, C6-7 with cages and an anterior plate C4 to C7.",
        "22551 22552x2 22846 22853x3",
    ),
    (
        "INST003",
        "PROCEDURE: Posterolateral fusion L3 to S1 with pedicle screws L3-S1 and bilateral S2-alar-iliac screws; local autograft.\nDESCRIPTION: Pedicle screws were placed at L3, L4, L5 and S1 and S2AI screws were placed. Transverse processes decorticated and local autograft placed.",
        "20936 22612 22614x2 22842 22848",
    ),
    (
        "PROC006",
        "PROCEDURES: 1. Open reduction of T12 burst fracture, posterior approach. 2. Posterior spinal fusion T11 to L1. 3. Pedicle screws T10, T11, L1 and L2.\nDESCRIPTION: Pedicle screws were placed at T10, T11, L1 and L2. The fracture was then reduced by distraction across T12. The transverse processes of T11, T12 and L1 were decorticated and allograft was laid.",
        "20930 22327 22610 22614 22842",
    ),
    (
        // The procedure list names the fractured vertebrae; the narrative's reduction is told with
        // the screws at the construct's ends.
        "PROC006",
        "PROCEDURE: Open reduction of L1 and L2 burst fractures with posterior instrumentation T12 to L3.\nDESCRIPTION: Pedicle screws were placed at T12 and L3 and the fractures were reduced with distraction.",
        "22325 22328 22840",
    ),
    (
        "PROC006",
        "PROCEDURE: Posterior open reduction of C5-6 facet dislocation and posterior fusion C5-6 with lateral mass screws C5 and C6.\nDESCRIPTION: The jumped facets at C5-6 were reduced under direct vision. Lateral mass screws were placed at C5 and C6 and the facets decorticated with local autograft.",
        "20936 22326 22600 22840",
    ),
    // A reduction of a spondylolisthesis or by a kyphoplasty balloon is not open fracture treatment.
    (
        "PROC006",
        "PROCEDURE: L4-5 posterolateral fusion with pedicle screws L4-L5 and open reduction of the spondylolisthesis.\nDESCRIPTION: Pedicle screws were placed at L4 and L5 and the listhesis was reduced. The transverse processes were decorticated and local autograft placed.",
        "20936 22612 22840",
    ),
    (
        "PROC006",
        "PROCEDURE: T12 kyphoplasty.\nDESCRIPTION: The balloon was inflated and the fracture was reduced; cement was injected into T12.",
        "22513",
    ),
    (
        // A bicortical iliac crest graft is a structural block: 20938, not the morselized 20937.
        "GRFT001",
        "PROCEDURE: Posterior C1-C2 arthrodesis with bilateral C1-C2 transarticular screws and iliac crest autograft through a separate incision.\nDESCRIPTION: Transarticular screws were placed from C2 across the C1-C2 joints. Through a separate incision over the posterior iliac crest a bicortical graft was harvested and wedged between C1 and C2.",
        "20938 22595 22840",
    ),
    (
        "PROC008",
        "PREOPERATIVE DIAGNOSIS: Type II odontoid fracture.\nPROCEDURE: Anterior odontoid screw fixation.\nDESCRIPTION: Through a right anterior cervical approach a guide wire was passed across the fracture into the apex of the dens and a cannulated lag screw was placed. No bone graft was used.",
        "22318",
    ),
    (
        // Graft at the nonunion: 22319, and the graft code with it.
        "PROC008",
        "PREOPERATIVE DIAGNOSIS: Odontoid nonunion.\nPROCEDURE: Anterior odontoid screw fixation with bone graft.\nDESCRIPTION: Through an anterior approach the nonunion at the base of the dens was curetted and packed with demineralized bone matrix, and two lag screws were placed across it.",
        "20930 22319",
    ),
    (
        // The same fracture treated from behind is a C1-C2 fusion; the screw from the front was
        // only discussed.
        "PROC008",
        "PREOPERATIVE DIAGNOSIS: Type II odontoid fracture.\nINDICATIONS: Anterior odontoid screw fixation was discussed and declined.\nPROCEDURE: Posterior C1-C2 fusion with C1 lateral mass screws and C2 pars screws, iliac crest autograft through a separate incision.\nDESCRIPTION: C1 lateral mass screws and C2 pars screws were placed and joined with rods. Iliac crest autograft was harvested through a separate incision and placed between C1 and C2.",
        "20937 22595 22840",
    ),
    (
        // A three-column osteotomy is coded by its vertebra, with the fusion and instrumentation.
        "PROC009",
        "PREOPERATIVE DIAGNOSIS: Adult degenerative scoliosis with flatback.\nPROCEDURE: Posterior spinal fusion T10 to L5 with pedicle screws T10-L5 and L3 pedicle subtraction osteotomy.\nDESCRIPTION: Pedicle screws were placed from T10 to L5. A pedicle subtraction osteotomy was performed at L3 and closed. The transverse processes were decorticated and local autograft placed.",
        "20936 22207 22802 22843",
    ),
    (
        // Two, thoracic and lumbar: the higher-valued first, +22208 for the other.
        "PROC009",
        "PREOPERATIVE DIAGNOSIS: Thoracolumbar kyphosis.\nPROCEDURE: T12 and L2 pedicle subtraction osteotomies, posterior spinal fusion T10 to L4 with pedicle screws T10-L4.\nDESCRIPTION: Pedicle screws were placed from T10 to L4. Pedicle subtraction osteotomies were performed at T12 and L2. The transverse processes were decorticated and local autograft placed.",
        "20936 22206 22208 22802 22843",
    ),
    (
        // Ponte osteotomies are left to the coder; the fusion is coded.
        "PROC009",
        "PREOPERATIVE DIAGNOSIS: Scheuermann kyphosis.\nPROCEDURE: Posterior spinal fusion T4 to T12 with pedicle screws T4-T12 and Ponte osteotomies T6-T10.\nDESCRIPTION: Pedicle screws were placed from T4 to T12. Ponte osteotomies were performed at T6-7, T7-8, T8-9 and T9-10. The facets were decorticated and local autograft placed.",
        "20936 22802 22843",
    ),
    (
        // A thoracic disc from behind is coded by its approach, never with the lumbar 63030.
        "DCMP002",
        "PREOPERATIVE DIAGNOSIS: T8-T9 disc herniation with myelopathy.\nPROCEDURE: Right T8-T9 transpedicular discectomy.\nDESCRIPTION: The right T9 pedicle and the T8-9 facet were drilled away and the disc herniation was removed from the front of the cord.",
        "63055",
    ),
    (
        "DCMP002",
        "PROCEDURE: Left T7-T8 and T8-T9 costotransversectomy and thoracic discectomy.\nDESCRIPTION: The medial ribs and transverse processes were removed and the T7-8 and T8-9 disc herniations were removed, decompressing the cord.",
        "63064 63066",
    ),
    (
        "DCMP002",
        "PROCEDURE: Right T10-T11 laminotomy and microdiscectomy.\nDESCRIPTION: A right T10 hemilaminotomy was performed and the T10-11 disc herniation removed, decompressing the right T11 root.",
        "",
    ),
    (
        // A far-lateral disc taken out from outside the foramen is 63056, not a laminotomy.
        "DCMP002",
        "PREOPERATIVE DIAGNOSIS: Left far lateral disc herniation L4-L5.\nPROCEDURE: Left L4-L5 far lateral microdiscectomy through a paramedian Wiltse approach.\nDESCRIPTION: The intertransverse ligament was opened lateral to the pars and the extraforaminal fragment removed from beneath the exiting L4 root.",
        "63056",
    ),
    (
        // With a laminotomy at another interspace, 63056 (NCCI's column two) takes XS.
        "DCMP002",
        "PROCEDURE: Left L3-L4 far lateral discectomy and left L5-S1 laminotomy and microdiscectomy.\nDESCRIPTION: Through a Wiltse approach the far lateral L3-4 fragment was removed. Through a midline incision a left L5 hemilaminotomy was made and the L5-S1 herniation removed.",
        "63030 63056-XS",
    ),
    (
        // Kyphoplasty and vertebroplasty of different bodies: the column-two code takes XS.
        "PROC003",
        "PROCEDURE: L2 kyphoplasty, L3 vertebroplasty.\nDESCRIPTION: At L2 a balloon was inflated to create a cavity and cement was injected. At L3 cement was injected without a cavity.",
        "22511-XS 22514",
    ),
    (
        // A thoracic vertebral body tether of seven vertebrae; its screws are not instrumentation.
        "PROC011",
        "PREOPERATIVE DIAGNOSIS: Adolescent idiopathic scoliosis.\nPROCEDURE: Anterior vertebral body tethering T6 to T12 via right thoracoscopic approach.\nDESCRIPTION: Vertebral body screws were placed in T6 through T12 and the tether was tensioned across them. No fusion was performed.",
        "22836",
    ),
    (
        "PROC011",
        "PROCEDURE: Revision of vertebral body tether T5 to T11 with replacement of the tether cord.\nDESCRIPTION: The broken tether was removed and a new tether was passed across the existing screws and tensioned.",
        "22838",
    ),
    (
        // The filum's tether on the cord is not a vertebral body tether.
        "PROC011",
        "PREOPERATIVE DIAGNOSIS: Tethered cord syndrome.\nPROCEDURE: L5 laminectomy and sectioning of the filum terminale.\nDESCRIPTION: An L5 laminectomy was performed and the filum divided, releasing the tether on the conus.",
        "63005",
    ),
    (
        // The anterior column fused through a lateral extracavitary exposure: 22532, +22534.
        "ARTH009",
        "PROCEDURE: Lateral extracavitary T12 corpectomy with T11-L1 arthrodesis and posterior segmental instrumentation T10 to L2.\nDESCRIPTION: Through a lateral extracavitary approach the T12 body was resected and an expandable cage with allograft placed from T11 to L1. Pedicle screws were placed at T10, T11, L1 and L2 and connected with rods. Arthrodesis of T11-T12 and T12-L1 was performed.",
        "20930 22532 22534 22842 22854 63101",
    ),
    (
        // coflex after a laminotomy at its level: the decompression is part of 22867.
        "PROC010",
        "PROCEDURE: L4-L5 laminotomy and bilateral decompression; insertion of coflex interlaminar stabilization device L4-L5.\nDESCRIPTION: A partial laminectomy of L4 and L5 was performed bilaterally with medial facetectomies, decompressing the L5 roots. The coflex device was impacted between the L4 and L5 spinous processes. No fusion was performed.",
        "22867",
    ),
    (
        // Superion at two levels, no decompression: 22869 and the second level 22870.
        "PROC010",
        "PROCEDURE: Percutaneous placement of Superion interspinous spacers at L3-L4 and L4-L5.\nDESCRIPTION: Under fluoroscopy a 10 mm spacer was deployed at L3-4 and a 12 mm spacer at L4-5. No decompression was performed.",
        "22869 22870",
    ),
    (
        // An interspinous spacer weighed and turned down is not placed.
        "PROC010",
        "PROCEDURE: L4-L5 laminectomy with bilateral foraminotomies.\nDESCRIPTION: An L4 laminectomy was performed with bilateral foraminotomies at L4-5, decompressing the L5 roots. An interspinous spacer was considered but was not placed because of osteoporosis.",
        "63047",
    ),
    (
        "INST004",
        "PROCEDURE: Removal of posterior segmental instrumentation L3 to L5.\nDESCRIPTION: The rods were removed and the six pedicle screws at L3, L4 and L5 were removed. The fusion was solid. No new instrumentation was placed.",
        "22852",
    ),
    (
        // A construct taken out is named by its span: removal includes the exploration.
        "INST004",
        "PROCEDURE: Removal of posterior segmental instrumentation L4-S1 and exploration of fusion.",
        "22852",
    ),
    (
        // "OPERATIVE PROCEDURE(S):" opens the procedure list: its new construct is coded, and the
        // old one's removal is not (new instrumentation overlaps it).
        "INST004",
        "OPERATIVE PROCEDURE(S):\n1. Removal of prior L4-S1 pedicle screw instrumentation.\n2. Posterior segmental instrumentation L2 to S1 (new construct).",
        "22842",
    ),
    ("DEV001", "PROCEDURE: ALIF L5-S1 with a PEEK cage with integrated screws and BMP.", "20930 22558 22853"),
    (
        "DEV001",
        "PROCEDURE: L4-5 TLIF with pedicle screws L4-L5.\nDESCRIPTION: Pedicle screws were placed at L4 and L5. Disc removed, cage placed at L4-5. Rods were placed.",
        "22630 22840 22853",
    ),
    (
        // "Removed the disc" is the discectomy: the cage inserted after it is not a removed device.
        "DEV001",
        "PROCEDURE: TLIF L4-5 with pedicle screws L4-L5.\nDESCRIPTION: Pedicle screws were placed at L4 and L5. We removed the disc and inserted a 10 mm PEEK cage at L4-5.",
        "22630 22840 22853",
    ),
    (
        "DEV002",
        "PROCEDURE: C5 corpectomy with an expandable titanium corpectomy cage, anterior interbody arthrodesis C4 to C6, anterior plate C4-C6, local autograft.",
        "20936 22554 22585 22845 22854 63081",
    ),
    (
        // 20937 needs a separate skin or fascial incision; "the same incision" leaves it to the coder.
        "GRFT001",
        "PROCEDURE: L4-5 posterolateral fusion with pedicle screws L4-L5. Iliac crest bone graft was harvested through the same incision.",
        "22612 22840",
    ),
    (
        "GRFT001",
        "PROCEDURE: ACDF C5-6 with a structural allograft spacer and an anterior plate C5-C6.",
        "20931 22551 22845",
    ),
    (
        // "with allograft" in the header is the structural graft the narrative places.
        "GRFT001",
        "PROCEDURE: C5-6 ACDF with allograft and plate.\nDESCRIPTION: Discectomy was performed at C5-6, decompressing the cord. A structural allograft was placed and a plate was fixed from C5 to C6.",
        "20931 22551 22845",
    ),
    (
        "GRFT001",
        "PROCEDURE: C5-6 ACDF with allograft and plate.\nDESCRIPTION: Discectomy was performed at C5-6. A structural allograft was placed. The space around it was packed with allograft chips. A plate was fixed from C5 to C6.",
        "20930 20931 22551 22845",
    ),
    (
        // "By Dr. X" of the surgeon the note names is this surgeon's graft.
        "GRFT001",
        "SURGEON: Maria Alvarez, MD\nPROCEDURE: L4-5 posterolateral fusion with pedicle screws L4-L5.\nDESCRIPTION: Pedicle screws were placed at L4 and L5. The transverse processes were decorticated and local autograft mixed with allograft was placed in the posterolateral gutters by Dr. Alvarez.",
        "20930 20936 22612 22840",
    ),
    (
        // By the co-surgeon, it is theirs to report.
        "GRFT001",
        "SURGEON: Dr. Kaur\nCO-SURGEON: Maria Alvarez, MD\nPROCEDURE: L4-5 posterolateral fusion with pedicle screws L4-L5.\nDESCRIPTION: Pedicle screws were placed at L4 and L5. The transverse processes were decorticated and local autograft mixed with allograft was placed in the posterolateral gutters by Dr. Alvarez.",
        "22612 22840",
    ),
    ("ARTH001", "PROCEDURE: PSIF L4-L5 with pedicle screws and local autograft.", "20936 22612 22840"),
    (
        // A fusion bed named only by a lone vertebra ("sacral ala") runs along the interbody levels.
        "ARTH001",
        "PROCEDURE: TLIF L4-5 and L5-S1 with pedicle screws L4-S1.\nDESCRIPTION: Screws were placed at L4, L5 and S1. TLIF was performed at L4-5 and L5-S1 with PEEK cages. Rods were placed. Decorticated TPs and sacral ala and placed local autograft posterolaterally.",
        "20936 22633 22634 22842 22853x2",
    ),
    (
        // Gutters said not to be grafted are no posterolateral fusion: 22630, not 22633.
        "ARTH001",
        "PROCEDURE: L3-4 TLIF with a PEEK cage, pedicle screws L3-L4.\nDESCRIPTION: Pedicle screws were placed at L3 and L4. A left L3-4 transforaminal discectomy was performed and a PEEK cage was placed. The L3-4 posterolateral gutters were not grafted.",
        "22630 22840 22853",
    ),
    (
        "DCMP001",
        "PROCEDURE: Decompressive laminectomies of L3, L4 and L5 with bilateral foraminotomies for stenosis.",
        "63047 63048x2",
    ),
    (
        "DCMP001",
        "PROCEDURE: L4-5 TLIF with posterolateral fusion, pedicle screws L4-L5, local autograft, and L4 decompressive laminectomy with bilateral foraminotomies for stenosis.",
        "20936 22633 22840 63052",
    ),
    (
        "DCMP001",
        "PROCEDURE: Cervical laminectomy C3 to C6 for myelopathy.\nDESCRIPTION: The laminae of C3, C4, C5 and C6 were removed en bloc, decompressing the spinal cord.",
        "63015",
    ),
    (
        "DCMP001",
        "PROCEDURE: T10 laminectomy for thoracic stenosis from a hypertrophied ligamentum flavum, decompressing the spinal cord.",
        "63003",
    ),
    (
        // Nerve roots decompressed: what 63047 adds to 63005's cauda equina decompression.
        "DCMP001",
        "PROCEDURE: L4 and L5 laminectomy for stenosis, with decompression of the thecal sac and the L5 and S1 nerve roots.",
        "63047 63048",
    ),
    (
        "DCMP001",
        "PROCEDURE: L4 laminectomy for stenosis.\nDESCRIPTION: The L4 lamina was removed and the thecal sac decompressed. The medial facets were undercut to decompress the lateral recesses.",
        "63047",
    ),
    ("DCMP002", "PROCEDURE: Bilateral L4-5 laminotomies with foraminotomies for lateral recess stenosis.", "63030-50"),
    ("DCMP002", "PROCEDURE: Left L5-S1 microdiscectomy. The operating microscope was used.", "63030"),
    (
        "DCMP002",
        "PROCEDURE: Revision left L5-S1 microdiscectomy.\nDESCRIPTION: Scar was dissected off the dura from the prior laminotomy at L5-S1 on the left. A hemilaminotomy was extended and a recurrent disc herniation was removed, decompressing the left S1 nerve root.",
        "63042",
    ),
    (
        "DCMP003",
        "PROCEDURE: Anterior cervical discectomy C5-6 without fusion, for a herniated disc compressing the C6 root.",
        "63075",
    ),
    (
        // 22556 prepares the interspace "other than for decompression": the cord decompression is 63077.
        "DCMP003",
        "PROCEDURE: Right T7-8 thoracotomy, transthoracic discectomy with decompression of the spinal cord, interbody fusion T7-8 with rib autograft.\nDESCRIPTION: A right thoracotomy was made through the bed of the 7th rib, which was harvested. The T7-8 disc was removed and the calcified herniation resected, decompressing the spinal cord. The rib graft was morselized and placed in the disc space.",
        "20936 22556 63077",
    ),
    (
        "DCMP003",
        "PROCEDURE: Anterior thoracic interbody fusion T11-12 through a thoracotomy with structural allograft.\nDESCRIPTION: The T11-12 disc was exposed and a complete discectomy was performed to prepare the endplates. A structural allograft was impacted.",
        "20931 22556",
    ),
    ("DCMP004", "PROCEDURE: Open-door laminoplasty C3 to C7 with mini-plates holding the laminae open.", "63051"),
    (
        "PROC001",
        "PROCEDURE: Anterior C5 and C6 corpectomy with a titanium mesh cage, anterior arthrodesis C4 to C7 and an anterior plate C4-C7; local autograft. The operating microscope was used.",
        "20936 22554 22585x2 22846 22854 63081 63082 69990",
    ),
    (
        // "Anterior corpectomy" says the approach, with no approach word of its own.
        "PROC001",
        "PROCEDURE: Anterior corpectomy of L1 for burst fracture and anterior fusion T12 to L2 with an expandable cage and anterior plate.",
        "22556 22585 22845 22854 63090",
    ),
    ("PROC002", "PROCEDURE: Cervical disc arthroplasty C5-6 and C6-7.", "22856 22858"),
    ("PROC002", "PROCEDURE: Removal of C5-6 artificial disc (cervical disc arthroplasty removal).", "22864"),
    (
        // A hybrid: the fusion and its plate at another interspace take XS under the arthroplasty.
        "PROC002",
        "PROCEDURE: C5-C6 total disc arthroplasty and C6-C7 anterior cervical discectomy and fusion with plate.\nDESCRIPTION: Through a right anterior approach a C5-6 discectomy was performed and an artificial disc placed. At C6-7 a discectomy was performed, decompressing the C7 roots, and a PEEK cage with allograft was placed and a plate fixed from C6 to C7.",
        "20930 22551-XS 22845-XS 22853 22856",
    ),
    ("PROC003", "PROCEDURE: Balloon kyphoplasty T12 and L1.", "22513 22515"),
    (
        "PROC004",
        "PROCEDURE: Right minimally invasive sacroiliac joint fusion with three triangular titanium implants.",
        "27279-RT",
    ),
    (
        "PROC005",
        "PROCEDURE: Exploration of L4-5 fusion.\nDESCRIPTION: The prior L4-5 fusion was explored and found solid. No further procedure was performed.",
        "22830",
    ),
    (
        "ADJ001",
        "PROCEDURE: L4-5 TLIF with posterolateral fusion and pedicle screws L4-L5 placed with O-arm navigation; local autograft.\nDESCRIPTION: Navigation was used to place pedicle screws at L4 and L5. A cage was placed in the L4-5 disc space. The transverse processes were decorticated and local autograft was placed.",
        "20936 22633 22840 22853 61783",
    ),
    ("ADJ002", "PROCEDURE: Left L5-S1 laminotomy and microdiscectomy using the operating microscope.", "63030"),
    (
        "MOD001",
        "PROCEDURE: ALIF L5-S1 with PEEK cage and BMP. Co-surgeon: Dr. Vance (vascular surgery) performed the exposure.",
        "20930 22558-62 22853",
    ),
    (
        "MOD002",
        "INDICATIONS: Postoperative epidural hematoma after L4 laminectomy two days ago.\nPROCEDURE: Return to the operating room for a malpositioned L5 screw: removal and reinsertion of the right L5 pedicle screw.",
        "22849-78",
    ),
    (
        // Percutaneous screws without fusion or open fracture treatment: the add-on stays, flagged
        // (`an_add_on_without_its_primary_is_flagged`); nothing is coded for a planned removal.
        "PAIR001",
        "PROCEDURE: Percutaneous posterior pedicle screw stabilization T11 to L1 without fusion.\nDESCRIPTION: Percutaneous pedicle screws were placed at T11, T12 and L1 bilaterally and rods passed. No arthrodesis was attempted; the plan is removal of the hardware after healing.",
        "22842",
    ),
    (
        // A foraminotomy at the laminoplasty's own levels is part of it (NCCI pairs 63020 under
        // 63051); the plates do not make the note an anterior one.
        "DCMP004",
        "PROCEDURE: C3-C6 open-door laminoplasty with plates; right C4-5 foraminotomy.\nDESCRIPTION: The laminae of C3, C4, C5 and C6 were opened toward the left hinge, decompressing the spinal cord, and held with laminoplasty plates. A right C4-5 foraminotomy was performed, decompressing the C5 root.",
        "63051",
    ),
    (
        // One beyond them takes XS.
        "DCMP004",
        "PROCEDURE: C3-C6 open-door laminoplasty; right C6-7 foraminotomy.\nDESCRIPTION: The laminae of C3 to C6 were opened as a door, decompressing the cord. A right C6-7 foraminotomy was performed, decompressing the C7 root.",
        "63020-XS 63050",
    ),
    (
        // Shorthand: "PS" screws, cages "x2 each level", "Co-surgeon: none" (no 62), and the story
        // on the line after a one-line field under a header of its own ("Op course:").
        "ARTH001",
        "Procedure: L4-S1 PSF/PSIF w/ PLIF L4/5 and L5/S1, bilat L4 and L5 laminectomies, ICBG R via separate fascial incision, BMP.\nDx: L4-5, L5-S1 spondylolisthesis grade 2 w/ stenosis.\nSurgeon: R. Kaur, MD. Co-surgeon: none.\nOp course: Prone. Midline. Bilat PS L4, L5, S1 placed freehand, confirmed fluoro. Complete laminectomies L4 & L5 w/ bilat facetectomies, decompressing thecal sac & L4, L5, S1 roots. PLIF L4/5 and L5/S1 bilat w/ PEEK cages x2 each level (4 cages total) packed w/ autograft & BMP. Rods placed, compressed. TPs L4-S1 decorticated, ICBG harvested from R posterior iliac crest via separate fascial incision & placed posterolaterally. Closed over drain.",
        "20930 20937 22633 22634 22842 22853x2 63052 63053",
    ),
    (
        // "PEEK spacers filled with allograft" hold morselized allograft, not a structural spacer.
        "GRFT001",
        "Procedure: ACDF x2 (C5-6, C6-7), PEEK spacers x2, anterior plate C5-C7, allograft\nDescription: Std R anterior approach. Discectomies C5-6 & C6-7 w/ removal of PLL, cord & roots decompressed. PEEK spacers filled w/ allograft placed @ each level. Plate C5-C7 w/ 6 screws. Closed.",
        "20930 22551 22552 22845 22853x2",
    ),
    (
        // The durotomy repaired in the laminectomy is part of it (`a_dural_repair_is_part_of_the_procedure`).
        "PROC012",
        "PROCEDURE: Laminectomy L4 with bilateral foraminotomies L3-4 and L4-5; primary repair of incidental durotomy.\nDESCRIPTION: A complete laminectomy of L4 was performed with foraminotomies at L3-4 and L4-5, decompressing the L4 and L5 roots. An incidental durotomy was repaired primarily with 6-0 Prolene and DuraSeal.",
        "63047",
    ),
    (
        // The laminotomy that makes room for a paddle electrode is no decompression.
        "PROC013",
        "PROCEDURE: T9-T10 laminotomy for placement of paddle spinal cord stimulator electrode; pulse generator placement.\nDESCRIPTION: A partial laminotomy of the inferior T9 lamina was performed and the ligamentum flavum removed at T9-10 to create a window. The paddle electrode was passed cephalad in the dorsal epidural space to T8 and anchored.",
        "",
    ),
    (
        // "Autograft from the corpectomy" in the list does not take the plate's C4-C7.
        "PROC001",
        "OPERATION: Anterior cervical corpectomy C5 and C6, arthrodesis C4 to C7 with expandable titanium cage, anterior plate C4-C7, local autograft from the corpectomy.\nDESCRIPTION: Discectomies at C4-5, C5-6 and C6-7. A corpectomy of C5 and C6 was performed, decompressing the spinal cord. An expandable cage filled with local autograft from the corpectomy bone was placed from C4 to C7. An anterior plate was secured with screws in C4 and C7.",
        "20936 22554 22585x2 22846 22854 63081 63082",
    ),
];

#[test]
fn every_rule_has_an_example() {
    for r in RULES {
        assert!(
            CASES.iter().any(|(id, _, _)| *id == r.id),
            "rule {} ({}) has no example in tests/rules.rs",
            r.id,
            r.name
        );
    }
}

#[test]
fn rule_examples() {
    let mut failures = Vec::new();
    for (id, note, expected) in CASES {
        let mut want: Vec<String> = expected.split_whitespace().map(String::from).collect();
        want.sort();
        let got = tokens(note);
        if got != want {
            failures.push(format!("{id}: expected {want:?}, got {got:?}\n  note: {note}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// What the coder proposes for a note, with the 2025 data.
fn propose(note: &str) -> interspace_coding::Proposal {
    let f = interspace_notes::findings::analyze(note);
    code(&f, DATA.year(2025).unwrap(), &KNOWLEDGE)
}

/// The quotes of a proposed line, by code.
fn quotes(note: &str, code: &str) -> Vec<String> {
    let f = interspace_notes::findings::analyze(note);
    let coded = interspace_coding::code(&f, DATA.year(2025).unwrap(), &KNOWLEDGE);
    let line = coded.lines.iter().find(|l| l.code.as_str() == code).unwrap_or_else(|| panic!("no {code} line"));
    line.evidence.iter().map(|s| note[s.start..s.end].to_string()).collect()
}

/// A primary line quotes the note about its own interspace and an add-on about the others, so a
/// coder checking 22634 reads about L5-S1, not about L4-5.
#[test]
fn each_line_quotes_its_own_interspaces() {
    let fusion = "PROCEDURE: Posterior spinal fusion L4 to S1, pedicle screws L4-S1.\nDESCRIPTION: Pedicle screws were placed at L4, L5 and S1. A TLIF was performed at L4-5 with a PEEK cage. The L5-S1 disc was then removed through a left facetectomy and a second cage was placed at L5-S1. The transverse processes of L4, L5 and the sacral ala were decorticated and local autograft was laid in the gutters.";
    let primary = quotes(fusion, "22633");
    let add_on = quotes(fusion, "22634");
    assert!(primary.iter().any(|q| q == "L4-5") && !primary.iter().any(|q| q == "L5-S1"), "22633 quotes {primary:?}");
    assert!(add_on.iter().any(|q| q == "L5-S1") && !add_on.iter().any(|q| q == "L4-5"), "22634 quotes {add_on:?}");

    let discs = "PROCEDURE: Left L4-5 and L5-S1 hemilaminotomies.\nDESCRIPTION: A left L4-5 hemilaminotomy was performed and the L5 root decompressed. A left L5-S1 hemilaminotomy was performed and the S1 root decompressed.";
    let primary = quotes(discs, "63030");
    let add_on = quotes(discs, "63035");
    assert!(!primary.iter().any(|q| q == "L5-S1"), "63030 quotes {primary:?}");
    assert!(add_on.iter().any(|q| q == "L5-S1") && !add_on.iter().any(|q| q == "L4-5"), "63035 quotes {add_on:?}");

    let cervical = "PROCEDURE: Anterior cervical discectomy C5-6 and C6-7 with decompression, no fusion.\nDESCRIPTION: The C5-6 disc was removed and the cord decompressed. The C6-7 disc was removed and the C7 root decompressed.";
    let primary = quotes(cervical, "63075");
    let add_on = quotes(cervical, "63076");
    assert!(primary.iter().any(|q| q == "C5-6") && !primary.iter().any(|q| q == "C6-7"), "63075 quotes {primary:?}");
    assert!(add_on.iter().any(|q| q == "C6-7") && !add_on.iter().any(|q| q == "C5-6"), "63076 quotes {add_on:?}");
}

/// An open reduction is a reposition of the fractured vertebra in ICD-10-PCS, with the internal
/// fixation device where the construct spans it, and no reposition where none was done.
#[test]
fn a_fracture_reduction_is_a_reposition_in_pcs() {
    let pcs = |note: &str| -> Vec<String> {
        let f = interspace_notes::findings::analyze(note);
        interspace_coding::code(&f, DATA.year(2025).unwrap(), &KNOWLEDGE).pcs.iter().map(|p| p.code.clone()).collect()
    };
    let fixed = pcs(
        "PROCEDURE: Open reduction of T12 burst fracture with posterior fusion T11 to L1 and pedicle screws T10 to L2.",
    );
    assert!(fixed.contains(&"0PS404Z".to_string()), "{fixed:?}");
    let lumbar = pcs("PROCEDURE: Open reduction of L2 fracture-dislocation, posterior approach.");
    assert!(lumbar.contains(&"0QS00ZZ".to_string()), "{lumbar:?}");
    let kyphoplasty =
        pcs("PROCEDURE: T12 kyphoplasty.\nDESCRIPTION: The balloon was inflated and the fracture was reduced.");
    assert!(!kyphoplasty.iter().any(|c| c.starts_with("0PS")), "{kyphoplasty:?}");
}

#[test]
fn rules_cite_known_sources_and_have_unique_ids() {
    let mut ids = std::collections::BTreeSet::new();
    for r in RULES {
        assert!(ids.insert(r.id), "duplicate rule id {}", r.id);
        assert!(!r.sources.is_empty(), "{} cites no source", r.id);
        for s in r.sources {
            assert!(KNOWLEDGE.source(s).is_some(), "{} cites unknown source {s}", r.id);
        }
    }
}

#[test]
fn every_documentation_element_has_a_predicate() {
    let f = interspace_notes::findings::Findings::default();
    let line = interspace_coding::ProposedLine {
        code: "22633".parse().unwrap(),
        modifiers: Vec::new(),
        units: 1,
        rule: "TEST",
        rationale: String::new(),
        evidence: Vec::new(),
        confidence: interspace_coding::Confidence::High,
    };
    for e in KNOWLEDGE.elements() {
        assert!(
            interspace_coding::documentation::check(&e.id, &f, &line).is_some(),
            "element `{}` has no predicate",
            e.id
        );
    }
    assert!(interspace_coding::documentation::check("no-such-element", &f, &line).is_none());
}

#[test]
fn never_proposes_a_code_outside_the_data() {
    // A note naming a deleted code's procedure still gets only codes the RVU file knows.
    let got = tokens(
        "PROCEDURE: Application of intervertebral biomechanical device (22851) at L4-5 with TLIF and posterolateral fusion, pedicle screws L4-L5.",
    );
    for t in got {
        let code = t.split(['-', 'x']).next().unwrap();
        assert!(DATA.year(2025).unwrap().pfs.get(code.parse().unwrap()).is_some(), "{t}");
    }
}

/// A laminectomy the note documents without a facetectomy or foraminotomy is coded from 63001–63017
/// with a note saying what 63045–63048 would need; in spondylolisthesis 63005 gets a caveat.
#[test]
fn a_bare_laminectomy_says_what_63045_would_need() {
    let notes = |note: &str| {
        let f = interspace_notes::findings::analyze(note);
        code(&f, DATA.year(2025).unwrap(), &KNOWLEDGE).notes.into_iter().map(|n| n.message).collect::<Vec<_>>()
    };
    let cervical = notes("PROCEDURE: Laminectomy C3 to C6 for cervical myelopathy, decompressing the spinal cord.");
    assert!(cervical.iter().any(|n| n.contains("63015") && n.contains("63045–63048")), "{cervical:?}");
    let slip = "PREOPERATIVE DIAGNOSIS: Grade 1 degenerative spondylolisthesis L4-5.\nPROCEDURE: L4 laminectomy, decompressing the thecal sac.";
    assert_eq!(tokens(slip), ["63005"]);
    let slip = notes(slip);
    assert!(slip.iter().any(|n| n.contains("excludes spondylolisthesis") && n.contains("63012")), "{slip:?}");
    let stenosis = notes(
        "PREOPERATIVE DIAGNOSIS: Lumbar stenosis L4-5.\nPROCEDURE: L4 laminectomy, decompressing the thecal sac.",
    );
    assert!(!stenosis.iter().any(|n| n.contains("excludes spondylolisthesis")), "{stenosis:?}");
}

/// The lesion codes say what they replaced, a synovial cyst and a tumour are left to the coder,
/// and ICD-10-PCS codes the drainage or evacuation of the spinal canal, not a release.
#[test]
fn a_laminectomy_for_an_epidural_lesion_is_the_lesion_code() {
    let abscess = propose(
        "PROCEDURE: L3-L5 laminectomy for evacuation of epidural abscess.\nDESCRIPTION: Laminectomy of L3, L4 and L5. The epidural abscess was drained.",
    );
    assert!(abscess.notes.iter().any(|n| n.message.contains("63267 replaces 63017")), "{:?}", abscess.notes);
    assert!(!abscess.notes.iter().any(|n| n.rule == "DCMP001"), "{:?}", abscess.notes);
    let pcs: Vec<&str> = abscess.pcs.iter().map(|p| p.code.as_str()).collect();
    assert_eq!(pcs, ["009U0ZZ"]);
    let hematoma = propose("PROCEDURE: T6-T8 laminectomy and evacuation of epidural hematoma.");
    let pcs: Vec<&str> = hematoma.pcs.iter().map(|p| p.code.as_str()).collect();
    assert_eq!(pcs, ["00CU0ZZ"]);
    let cyst = propose("PROCEDURE: L4 laminectomy with bilateral foraminotomies and excision of a synovial cyst.");
    assert!(cyst.notes.iter().any(|n| n.rule == "DCMP005" && n.message.contains("63267")), "{:?}", cyst.notes);
    let tumour = propose("PROCEDURE: T8-T10 laminectomy for resection of epidural tumor.");
    assert!(
        tumour.notes.iter().any(|n| n.rule == "DCMP005" && n.message.contains("63275–63290")),
        "{:?}",
        tumour.notes
    );
    assert!(tumour.lines.iter().any(|l| l.code.as_str() == "63016"), "{:?}", tumour.lines);
}

/// An odontoid fracture fixed from the front is a Reposition of C2 when the note says it was
/// reduced and an Insertion of the screw when it was fixed in place; it is never also 22326.
#[test]
fn an_odontoid_screw_is_22318_and_its_pcs_follows_the_reduction() {
    let pcs = |p: &interspace_coding::Proposal| p.pcs.iter().map(|x| x.code.clone()).collect::<Vec<_>>();
    let reduced = propose(
        "DIAGNOSIS: Displaced type II odontoid fracture.\nPROCEDURE: Open reduction and anterior screw fixation of the odontoid fracture.\nDESCRIPTION: The fracture was reduced with extension. Through an anterior approach a lag screw was placed into the dens.",
    );
    let codes: Vec<&str> = reduced.lines.iter().map(|l| l.code.as_str()).collect();
    assert_eq!(codes, ["22318"], "{:?}", reduced.notes);
    assert_eq!(pcs(&reduced), ["0PS304Z"]);
    assert!(!reduced.notes.iter().any(|n| n.rule == "PROC006"), "{:?}", reduced.notes);
    assert!(reduced.notes.iter().any(|n| n.rule == "PROC008" && n.message.contains("no instrumentation code")));
    let in_place = propose(
        "DIAGNOSIS: Nondisplaced type II odontoid fracture.\nPROCEDURE: Anterior odontoid screw fixation.\nDESCRIPTION: Through an anterior approach a lag screw was placed across the fracture into the dens.",
    );
    assert_eq!(pcs(&in_place), ["0PH304Z"]);
    // An odontoid fracture left to a collar in an ACDF note is not fixed, whatever the plate's screws.
    let collar = propose(
        "DIAGNOSIS: C5-6 fracture-dislocation; nondisplaced type I odontoid fracture.\nPROCEDURE: C5-6 anterior cervical discectomy and fusion with a plate.\nDESCRIPTION: Through a right anterior cervical approach the C5-6 disc was removed and a structural allograft placed. The odontoid fracture will be treated in a collar. A plate was fixed with screws into the C5 and C6 bodies.",
    );
    assert!(!collar.lines.iter().any(|l| l.code.as_str().starts_with("2231")), "{:?}", collar.lines);
    // A dens without a fracture, os odontoideum or nonunion named is not this operation.
    let no_fracture = propose("PROCEDURE: Anterior approach to C2; a screw was placed into the dens.");
    assert!(no_fracture.lines.is_empty(), "{:?}", no_fracture.lines);
}

/// Osteotomies are named for review, never coded; a note without one gets no such note.
#[test]
fn an_osteotomy_is_left_to_the_coder_with_the_codes_to_review() {
    let ponte = propose("PROCEDURE: Ponte osteotomies T6-T10 and posterior spinal fusion T4 to T12.");
    assert!(ponte.notes.iter().any(|n| n.rule == "PROC009" && n.message.contains("22212")), "{:?}", ponte.notes);
    assert!(!ponte.lines.iter().any(|l| l.code.as_str().starts_with("222")), "{:?}", ponte.lines);
    let none = propose("PROCEDURE: Posterior spinal fusion T10 to L5; the facets were removed for the correction.");
    assert!(!none.notes.iter().any(|n| n.rule == "PROC009"), "{:?}", none.notes);
    // A pedicle subtraction osteotomy without its vertebra, or in the neck, is named, not coded.
    let unnamed = propose("PROCEDURE: Posterior spinal fusion T10 to L5 with pedicle subtraction osteotomy.");
    assert!(unnamed.notes.iter().any(|n| n.rule == "PROC009" && n.message.contains("without its vertebra")));
    assert!(!unnamed.lines.iter().any(|l| l.code.as_str() == "22207"), "{:?}", unnamed.lines);
    let cervical = propose("PROCEDURE: C7 pedicle subtraction osteotomy and posterior fusion C4 to T3.");
    assert!(cervical.notes.iter().any(|n| n.rule == "PROC009" && n.message.contains("22210")));
    assert!(!cervical.lines.iter().any(|l| l.code.as_str().starts_with("2220")), "{:?}", cervical.lines);
}

/// The decompression at a three-column osteotomy is part of it; one at segments beyond takes XS.
#[test]
fn decompression_at_a_three_column_osteotomy_is_part_of_it() {
    let at = propose(
        "PROCEDURE: L3 pedicle subtraction osteotomy and posterior spinal fusion T10 to L5 with pedicle screws T10-L5.\nDESCRIPTION: Laminectomy of L2, L3 and L4 with bilateral foraminotomies. The L3 pedicle subtraction osteotomy was performed and closed.",
    );
    assert!(at.lines.iter().all(|l| !l.code.as_str().starts_with("630")), "{:?}", at.lines);
    assert!(at.notes.iter().any(|n| n.rule == "PROC009" && n.message.contains("part of 22207")), "{:?}", at.notes);
    let beyond = propose(
        "PROCEDURE: L2 pedicle subtraction osteotomy and posterior spinal fusion T10 to S1 with pedicle screws T10-S1.\nDESCRIPTION: Laminectomy of L1, L2, L3, L4 and L5 with bilateral foraminotomies. The L2 pedicle subtraction osteotomy was performed and closed.",
    );
    let lam = beyond.lines.iter().find(|l| l.code.as_str() == "63047").expect("63047 kept");
    assert_eq!(lam.token(), "63047-XS", "{:?}", beyond.lines);
}

/// An interlaminar device is 22867 only with an open decompression at its own level; one beyond it
/// keeps its code with XS, a third level and a device inside a fusion are named for review, and
/// the PCS code follows the approach.
#[test]
fn an_interlaminar_device_is_coded_by_the_decompression_at_its_level() {
    let codes = |p: &interspace_coding::Proposal| p.lines.iter().map(|l| l.token()).collect::<Vec<_>>();
    let pcs = |p: &interspace_coding::Proposal| p.pcs.iter().map(|x| x.code.clone()).collect::<Vec<_>>();
    let beyond = propose(
        "PROCEDURE: Bilateral laminectomy with foraminotomies L3-L4 and L4-L5; coflex interlaminar device L4-L5.\nDESCRIPTION: Laminectomies of L3 and L4 were performed with foraminotomies at L3-4 and L4-5, decompressing the thecal sac. The coflex device was inserted between the L4 and L5 spinous processes. No fusion was performed.",
    );
    assert!(codes(&beyond).contains(&"22867-XS".to_string()), "{:?}", beyond.lines);
    assert!(codes(&beyond).contains(&"63047".to_string()), "{:?}", beyond.lines);
    assert!(beyond.notes.iter().any(|n| n.rule == "PROC010" && n.message.contains("units")), "{:?}", beyond.notes);
    assert_eq!(pcs(&beyond)[0], "0SH00BZ");
    let three = propose(
        "PROCEDURE: Percutaneous insertion of Superion interspinous spacers at L2-L3, L3-L4 and L4-L5.\nDESCRIPTION: Spacers were placed percutaneously under fluoroscopy. No decompression was performed.",
    );
    assert_eq!(codes(&three), ["22869", "22870"]);
    assert!(three.notes.iter().any(|n| n.rule == "PROC010" && n.message.contains("22899")), "{:?}", three.notes);
    assert_eq!(pcs(&three), ["0SH03BZ"]);
    let fused = propose(
        "PROCEDURE: L4-L5 posterolateral fusion with interspinous process device L4-L5 and local autograft.\nDESCRIPTION: The L4 and L5 transverse processes were decorticated and local autograft laid posterolaterally. The interspinous process device was clamped to the L4 and L5 spinous processes.",
    );
    assert!(!codes(&fused).iter().any(|c| c.starts_with("2286")), "{:?}", fused.lines);
    assert!(fused.notes.iter().any(|n| n.rule == "PROC010" && n.message.contains("22840")), "{:?}", fused.notes);
    let thoracic = propose("PROCEDURE: Interspinous spacer at T11-T12.");
    assert!(thoracic.lines.is_empty(), "{:?}", thoracic.lines);
    assert!(thoracic.notes.iter().any(|n| n.rule == "PROC010" && n.message.contains("lumbar")), "{:?}", thoracic.notes);
}

/// A corpectomy from behind is 63101/63102 only through a named lateral extracavitary exposure;
/// otherwise it is left to the coder with those codes named.
#[test]
fn a_corpectomy_from_behind_is_coded_only_through_a_lateral_extracavitary_exposure() {
    let note = |approach: &str| {
        propose(&format!(
            "PROCEDURE: T12 corpectomy with expandable cage and posterior segmental instrumentation T10 to L2.\nDESCRIPTION: Through a {approach} approach the T12 vertebral body was resected, decompressing the cord, and an expandable cage was placed from T11 to L1. Pedicle screws were placed at T10, T11, L1 and L2."
        ))
    };
    let lateral = note("lateral extracavitary");
    assert!(lateral.lines.iter().any(|l| l.code.as_str() == "63101"), "{:?}", lateral.lines);
    let posterior = note("posterior");
    assert!(!posterior.lines.iter().any(|l| l.code.as_str().starts_with("631")), "{:?}", posterior.lines);
    assert!(
        posterior.notes.iter().any(|n| n.rule == "PROC001" && n.message.contains("63101")),
        "{:?}",
        posterior.notes
    );
}

/// A gap is reported only where the note could say more: a plate after discectomies has no
/// corpectomy to describe, and "posterior fusion" names its approach; a fusion whose note names no
/// approach still gets the gap.
#[test]
fn documentation_gaps_follow_what_the_note_does() {
    let gaps = |note: &str| propose(note).gaps.into_iter().map(|g| g.element).collect::<Vec<_>>();
    let acdf = gaps(
        "PROCEDURE: Anterior cervical discectomy and fusion C4-C5, C5-C6, C6-C7 with PEEK cages and an anterior plate C4-C7.\nDESCRIPTION: Through a right anterior approach the discs were removed and the cord decompressed. Cages were placed and a plate fixed from C4 to C7.",
    );
    assert!(!acdf.iter().any(|g| g == "corpectomy_extent"), "{acdf:?}");
    let posterior = gaps(
        "PROCEDURE: C3-C6 posterior fusion with lateral mass screws C3-C6 and local autograft.\nDESCRIPTION: Lateral mass screws were placed at C3, C4, C5 and C6. The facets were decorticated and local autograft placed. Rods were placed.",
    );
    assert!(!posterior.iter().any(|g| g == "approach"), "{posterior:?}");
    let unnamed = gaps(
        "PROCEDURE: C3-C6 fusion with lateral mass screws C3-C6 and local autograft.\nDESCRIPTION: Lateral mass screws were placed at C3, C4, C5 and C6. The facets were decorticated and local autograft placed. Rods were placed.",
    );
    assert!(unnamed.iter().any(|g| g == "approach"), "{unnamed:?}");
    // Screws taken out and put back at named vertebrae document the span of the reinsertion.
    let reinserted = gaps(
        "PROCEDURE: Removal of posterior instrumentation T10-L2 and reinsertion of new pedicle screws T10-L2.\nDESCRIPTION: The rods were removed. The loose screws at T10, T11, L1 and L2 were removed and larger screws were reinserted at those levels. New rods were placed.",
    );
    assert!(!reinserted.iter().any(|g| g == "instrumentation_span"), "{reinserted:?}");
}

/// An endoscopic decompression is percutaneous endoscopic in ICD-10-PCS, and an endoscopic lumbar
/// laminectomy keeps its laminectomy code with a note to review 62380.
#[test]
fn an_endoscopic_decompression_is_not_open() {
    let discectomy = propose("PROCEDURE: Left L4-5 endoscopic discectomy, decompressing the L5 nerve root.");
    let pcs: Vec<&str> = discectomy.pcs.iter().map(|p| p.code.as_str()).collect();
    assert_eq!(pcs, ["01NB4ZZ"]);
    let laminectomy = propose(
        "PROCEDURE: Endoscopic L4 laminectomy with bilateral foraminotomies for stenosis, decompressing the thecal sac.",
    );
    assert!(laminectomy.lines.iter().any(|l| l.code.as_str() == "63047"), "{:?}", laminectomy.lines);
    assert!(
        laminectomy.notes.iter().any(|n| n.rule == "DCMP001" && n.message.contains("62380")),
        "{:?}",
        laminectomy.notes
    );
}

/// An add-on proposed without any primary NCCI allows it with is kept at low confidence with a
/// note; with its primary it is not flagged.
#[test]
fn an_add_on_without_its_primary_is_flagged() {
    let alone = propose(
        "PROCEDURE: Percutaneous posterior pedicle screw stabilization T11 to L1 without fusion.\nDESCRIPTION: Percutaneous pedicle screws were placed at T11, T12 and L1 bilaterally and rods passed. No arthrodesis was attempted; the plan is removal of the hardware after healing.",
    );
    let line = alone.lines.iter().find(|l| l.code.as_str() == "22842").expect("22842");
    assert_eq!(line.confidence, interspace_coding::Confidence::Low);
    assert!(alone.notes.iter().any(|n| n.rule == "PAIR001" && n.message.contains("22899")), "{:?}", alone.notes);
    assert!(!alone.notes.iter().any(|n| n.rule == "INST004"), "a planned removal is no removal: {:?}", alone.notes);
    let fused = propose(
        "PROCEDURE: Posterior fusion T11 to L1 with pedicle screws T11, T12 and L1 and local autograft.\nDESCRIPTION: Pedicle screws were placed at T11, T12 and L1 and the posterior elements decorticated and grafted.",
    );
    assert!(
        fused.lines.iter().any(|l| l.code.as_str() == "22842" && l.confidence != interspace_coding::Confidence::Low)
    );
    assert!(!fused.notes.iter().any(|n| n.rule == "PAIR001"), "{:?}", fused.notes);
}

/// A dural tear repaired within a spine procedure is named in a note under the codes NCCI pairs
/// 63707/63709 with; a stimulator's access laminotomy is neither coded nor a nerve release.
#[test]
fn a_dural_repair_is_part_of_the_procedure() {
    let durotomy = propose(
        "PROCEDURE: Laminectomy L4 with bilateral foraminotomies L3-4 and L4-5.\nDESCRIPTION: A complete laminectomy of L4 was performed, decompressing the L4 and L5 roots. An incidental durotomy was repaired primarily with 6-0 Prolene.",
    );
    assert!(
        durotomy.notes.iter().any(|n| n.rule == "PROC012" && n.message.contains("under 63047")),
        "{:?}",
        durotomy.notes
    );
    let watertight = propose(
        "PROCEDURE: Laminectomy L4.\nDESCRIPTION: A complete laminectomy of L4 was performed, decompressing the thecal sac. There was no CSF leak and no durotomy.",
    );
    assert!(!watertight.notes.iter().any(|n| n.rule == "PROC012"), "{:?}", watertight.notes);
    let stimulator = propose(
        "PROCEDURE: T9-T10 laminotomy for placement of paddle spinal cord stimulator electrode.\nDESCRIPTION: A laminotomy of the inferior T9 lamina was performed to create a window and the paddle lead passed to T8.",
    );
    assert!(stimulator.lines.is_empty() && stimulator.pcs.is_empty(), "{:?} {:?}", stimulator.lines, stimulator.pcs);
    assert!(
        stimulator.notes.iter().any(|n| n.rule == "PROC013" && n.message.contains("63655")),
        "{:?}",
        stimulator.notes
    );
    let with_stenosis = propose(
        "PROCEDURE: L4-5 laminectomy for stenosis and placement of a spinal cord stimulator paddle at T9.\nDESCRIPTION: A laminectomy of L4 was performed, decompressing the thecal sac. Through a separate T9 laminotomy the paddle electrode was placed.",
    );
    assert!(with_stenosis.lines.iter().any(|l| l.rule == "DCMP001"), "{:?}", with_stenosis.lines);
}

/// An indication told in the note's opening prose (a diagnosis and the care that failed) meets
/// the indication element without a header; a bare diagnosis there does not.
#[test]
fn an_indication_told_in_the_opening_prose_counts() {
    let gap = |note: &str| propose(note).gaps.iter().any(|g| g.element == "indication");
    let procedure = "Today he underwent an L4-5 TLIF with a PEEK cage and pedicle screws at L4 and L5.";
    assert!(!gap(&format!(
        "Mr. Dunn is a 58-year-old with L4-5 spondylolisthesis who failed a year of nonoperative care. {procedure}"
    )));
    assert!(gap(&format!("Mr. Dunn is a 58-year-old with L4-5 spondylolisthesis. {procedure}")));
}
